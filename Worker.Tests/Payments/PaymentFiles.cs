using System.Text;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Payments;

/// <summary>Writes real payment exports as the platforms do: .xlsx, or CSV in GB18030, UTF-8 or UTF-8 with a BOM.</summary>
public static class PaymentFiles
{
    public static readonly string[] Chinese = ["交易时间", "交易单号", "学号", "姓名", "金额(元)", "交易状态"];
    public static readonly string[] English = ["Paid At", "Transaction ID", "Student Number", "Name", "Amount", "Status"];

    /// <summary>A paid row for test student <paramref name="i"/> (TestStudent.Make(i)).</summary>
    public static string[] Paid(string transaction, int i, string amount = "15.00", string status = "支付成功", string at = "2022-05-06 10:30:00") =>
        [at, transaction, TestStudent.Make(i).StudentNumber, TestStudent.Make(i).Name, amount, status];

    /// <summary>Sheet "交易明细": a title in row 1, the header in row 2, the rows from row 3, every value as text; <paramref name="edit"/> then changes what it likes.</summary>
    public static string Xlsx(string path, IEnumerable<string[]> rows, string[]? headers = null, Action<WorksheetEditor>? edit = null)
    {
        using var wb = WorkbookEditor.Create(path);
        var ws = wb.AddSheet("交易明细");
        ws.SetText(1, 1, "缴费平台 交易明细");
        headers ??= Chinese;
        for (var c = 0; c < headers.Length; c++) ws.SetText(2, c + 1, headers[c]);
        var r = 3;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Length; c++) ws.SetText(r, c + 1, row[c]);
            r++;
        }
        edit?.Invoke(ws);
        return path;
    }

    public static string Csv(string path, IEnumerable<string[]> rows, Encoding encoding, bool bom = false, string[]? headers = null)
    {
        var lines = new List<string> { string.Join(",", headers ?? Chinese) };
        lines.AddRange(rows.Select(r => string.Join(",", r.Select(Quote))));
        var bytes = encoding.GetBytes(string.Join("\r\n", lines) + "\r\n");
        File.WriteAllBytes(path, bom ? [.. encoding.GetPreamble(), .. bytes] : bytes);
        return path;
    }

    public static Encoding Gb18030 => CodePagesEncodingProvider.Instance.GetEncoding(54936)!;
    public static Encoding Utf8 => new UTF8Encoding(true);

    private static string Quote(string cell) => cell.Contains(',') || cell.Contains('"') ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
