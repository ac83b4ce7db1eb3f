using System.Globalization;
using ClosedXML.Excel;
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
        // Checked as a stream first: a workbook bomb is refused before ClosedXML loads it whole.
        if (WorkbookGuard.Check(path, WorkbookLimits.Payments) is { } refusal) return Refused(refusal.MessageZh, refusal.MessageEn);
        XLWorkbook workbook;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            buffer.Position = 0;
            workbook = new XLWorkbook(buffer);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Refused("无法打开该 .xlsx 工作簿（文件可能已损坏）：请在 Excel 中打开并重新保存",
                $"the .xlsx workbook cannot be opened (it may be damaged): open and save it again in Excel ({e.GetType().Name}: {e.Message})");
        }
        using (workbook)
        {
            // The first sheet with a recognisable header is the export.
            PaymentSheet? first = null;
            foreach (var ws in workbook.Worksheets)
            {
                var sheet = PaymentSheet.FromTable(Table(ws), "xlsx");
                if (sheet.HeaderRow > 0) return sheet;
                first ??= sheet;
            }
            return first ?? Refused("工作簿是空的，没有任何数据", "the workbook is empty: it has no data");
        }
    }

    private static List<(int Row, string[] Cells)> Table(IXLWorksheet ws)
    {
        var lastRow = ws.LastRowUsed()?.RowNumber() ?? 0;
        var lastCol = ws.LastColumnUsed()?.ColumnNumber() ?? 0;
        var table = new List<(int, string[])>(lastRow);
        for (var r = 1; r <= lastRow; r++)
        {
            var cells = new string[lastCol];
            for (var c = 1; c <= lastCol; c++) cells[c - 1] = Text(ws.Cell(r, c));
            table.Add((r, cells));
        }
        return table;
    }

    /// <summary>A cell's text; a formula gives its stored result, a date its date and time.</summary>
    private static string Text(IXLCell cell)
    {
        object? value = cell.HasFormula ? cell.CachedValue : cell.DataType switch
        {
            // A custom format such as "0000000" carries leading zeros the number itself has lost (a student number).
            XLDataType.Number when Math.Abs(cell.GetDouble()) < 1e15 && cell.Style.NumberFormat.Format is { Length: > 0 } f && f.All(ch => ch is '0' or '#')
                => cell.GetDouble().ToString(f, CultureInfo.InvariantCulture),
            XLDataType.Number => cell.GetDouble(),
            XLDataType.DateTime => cell.GetDateTime(),
            _ => cell.GetString(),
        };
        return value switch
        {
            null => "",
            double d when Math.Abs(d) >= 1e15 => d.ToString("0.#####E+00", CultureInfo.InvariantCulture), // Excel kept 15 digits only
            double d => d == Math.Floor(d) ? d.ToString("0", CultureInfo.InvariantCulture) : d.ToString("0.##########", CultureInfo.InvariantCulture),
            DateTime dt => dt.TimeOfDay == TimeSpan.Zero ? dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : dt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() ?? "",
        };
    }
}
