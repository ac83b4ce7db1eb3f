using System.Globalization;
using CollectionWorker.Sheets;
using CollectionWorker.Store;

namespace CollectionWorker.Payments;

/// <summary>
/// Reads a payment platform's export, .xlsx or .csv (by content, whatever the name says), into text:
/// the header found among the top rows, columns in any order, each cell as a person sees it. A long
/// number Excel has already shortened ("4.40106E+17") stays visibly shortened, so the validator can say so.
/// </summary>
public sealed class PaymentFileReader
{
    public PaymentSheet Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) return Refused("文件是空的（0 字节）", "the file is empty (0 bytes)");
        var isZip = bytes.Length >= 4 && bytes[0] == (byte)'P' && bytes[1] == (byte)'K';
        var isOle = bytes.Length >= 4 && bytes[0] == 0xD0 && bytes[1] == 0xCF && bytes[2] == 0x11 && bytes[3] == 0xE0;
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (isZip || isOle || extension is ".xlsx" or ".xlsm" or ".xls")
            return ReadWorkbook(path);
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0) && !(bytes[0] is 0xFF or 0xFE))
            return Refused("这不是 CSV 文本文件，也不是 Excel .xlsx 工作簿：请从缴费平台导出 Excel 或 CSV",
                $"this is neither a CSV text file nor an Excel .xlsx workbook ('{extension}'): export Excel or CSV from the payment platform");
        var (text, encoding) = CsvText.Decode(bytes);
        return PaymentSheet.FromTable(CsvText.Parse(text), encoding);
    }

    private static PaymentSheet Refused(string zh, string en)
    {
        var sheet = new PaymentSheet();
        sheet.Problems.Add(new PaymentProblem(null, null, zh, en));
        return sheet;
    }

    private static PaymentSheet ReadWorkbook(string path)
    {
        // Checked as a stream first: a workbook bomb, an encrypted or an .xls file is refused before anything is read.
        if (WorkbookGuard.Check(path, WorkbookLimits.Payments) is { } refusal) return Refused(refusal.MessageZh, refusal.MessageEn);
        try
        {
            // Cells streamed with the Open XML SDK (Sheets/XlsxCells.cs): pictures and formatting are never loaded.
            using var workbook = XlsxCells.Open(path);
            // The first sheet with a recognisable header is the export.
            PaymentSheet? first = null;
            foreach (var entry in workbook.SheetNames)
            {
                var sheet = PaymentSheet.FromTable(Table(workbook.Read(entry)), "xlsx");
                if (sheet.HeaderRow > 0) return sheet;
                first ??= sheet;
            }
            return first ?? Refused("工作簿是空的，没有任何数据", "the workbook is empty: it has no data");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Refused("无法打开该 .xlsx 工作簿（文件可能已损坏）：请在 Excel 中打开并重新保存",
                $"the .xlsx workbook cannot be opened (it may be damaged): open and save it again in Excel ({e.GetType().Name}: {e.Message})");
        }
    }

    private static List<(int Row, string[] Cells)> Table(XlsxSheet ws)
    {
        var table = new List<(int, string[])>(ws.LastRow);
        var rows = ws.Rows.GetEnumerator();
        var next = rows.MoveNext() ? rows.Current : null;
        for (var r = 1; r <= ws.LastRow; r++)
        {
            var cells = new string[ws.LastColumn];
            Array.Fill(cells, "");
            if (next?.Number == r)
            {
                foreach (var cell in next.Cells) cells[cell.Column - 1] = Text(cell);
                next = rows.MoveNext() ? rows.Current : null;
            }
            table.Add((r, cells));
        }
        return table;
    }

    /// <summary>A cell's text; a formula gives its stored result, a date its date and time.</summary>
    private static string Text(XlsxCell cell) => cell switch
    {
        // A custom format such as "0000000" carries leading zeros the number itself has lost (a student number).
        { Kind: XlsxKind.Number, Number: { } d } when Math.Abs(d) < 1e15 && cell.NumberFormat is { Length: > 0 } f && f.All(ch => ch is '0' or '#')
            => d.ToString(f, CultureInfo.InvariantCulture),
        { Kind: XlsxKind.Number, Number: { } d } when Math.Abs(d) >= 1e15 => d.ToString("0.#####E+00", CultureInfo.InvariantCulture), // Excel kept 15 digits only
        { Kind: XlsxKind.Number, Number: { } d } => d == Math.Floor(d) ? d.ToString("0", CultureInfo.InvariantCulture) : d.ToString("0.##########", CultureInfo.InvariantCulture),
        { Kind: XlsxKind.Date, Number: { } serial } when serial is >= -657435 and <= 2958465 => DateTime.FromOADate(serial) is var dt && dt.TimeOfDay == TimeSpan.Zero
            ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        _ => cell.Text.Trim(),
    };
}
