using ClosedXML.Excel;

namespace CollectionWorker.Notifications;

/// <summary>
/// House rules for workbooks people open: user text is always written as text (a name such as
/// "=HYPERLINK(…)" stays a name, "001234" keeps its zeros), headers are bold and frozen with a
/// filter, and columns get readable widths without AdjustToContents (which needs libgdiplus).
/// </summary>
public static class SheetWriting
{
    /// <summary>Excel's hard limit for one cell; ClosedXML throws above it, and the whole workbook is lost.</summary>
    public const int MaxCellChars = 32_767;

    private const string TruncatedMark = "…（已截断 truncated）";

    public static void Text(IXLCell cell, string? value)
    {
        value = Bounded(value);
        cell.SetValue(value ?? "");
        // Excel would treat text starting with these as a formula when the cell is edited.
        if (value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@') cell.Style.IncludeQuotePrefix = true;
    }

    /// <summary>The text cut to fit one cell (never inside a surrogate pair), marked as cut.</summary>
    public static string? Bounded(string? value)
    {
        if (value is null || value.Length <= MaxCellChars) return value;
        var keep = MaxCellChars - TruncatedMark.Length;
        if (char.IsHighSurrogate(value[keep - 1])) keep--;
        return string.Concat(value.AsSpan(0, keep), TruncatedMark);
    }

    public static void Header(IXLWorksheet ws, int row, params string[] headers)
    {
        for (var c = 0; c < headers.Length; c++) Text(ws.Cell(row, c + 1), headers[c]);
        var range = ws.Range(row, 1, row, headers.Length);
        range.Style.Font.Bold = true;
        range.Style.Fill.BackgroundColor = XLColor.FromHtml("#DDEBF7");
    }

    /// <summary>Freezes the header, adds a filter over the table and sizes columns to their text.</summary>
    public static void Finish(IXLWorksheet ws, int headerRow, int lastRow, int columns)
    {
        ws.SheetView.FreezeRows(headerRow);
        if (lastRow >= headerRow) ws.Range(headerRow, 1, Math.Max(lastRow, headerRow), columns).SetAutoFilter();
        for (var c = 1; c <= columns; c++)
        {
            var width = 8.0;
            for (var r = headerRow; r <= Math.Min(lastRow, headerRow + 500); r++)
                width = Math.Max(width, DisplayWidth(ws.Cell(r, c).GetString()) + 2);
            ws.Column(c).Width = Math.Min(width, 60);
        }
    }

    /// <summary>Chinese characters take about two columns of width.</summary>
    public static double DisplayWidth(string text) => text.Sum(ch => ch > 0x2E80 ? 2.0 : 1.0);

    /// <summary>A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique in the workbook.</summary>
    public static string SheetName(IXLWorkbook wb, string wanted)
    {
        var clean = new string(wanted.Select(ch => "[]:*?/\\".Contains(ch) ? '_' : ch).ToArray()).Trim('\'');
        if (clean.Length == 0) clean = "Sheet";
        if (clean.Length > 31) clean = clean[..31];
        var name = clean;
        for (var i = 2; wb.Worksheets.Any(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase)); i++)
        {
            var suffix = $" ({i})";
            name = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }
        return name;
    }

    /// <summary>A class's counts from <paramref name="column"/> on: total, approved, awaiting review, inspecting, rejected, missing, expired, % done.</summary>
    public static void ClassCounts(IXLWorksheet ws, int row, int column, CollectionWorker.Store.ClassProgress c)
    {
        int[] counts = [c.Total, c.Approved, c.AwaitingReview, c.AwaitingInspection, c.Rejected, c.Missing, c.Expired];
        for (var i = 0; i < counts.Length; i++) ws.Cell(row, column + i).SetValue(counts[i]);
        var done = ws.Cell(row, column + counts.Length);
        done.SetValue(c.CompletionPercent / 100);
        done.Style.NumberFormat.Format = "0.0%";
    }

    public static byte[] ToBytes(XLWorkbook wb)
    {
        using var stream = new MemoryStream();
        wb.SaveAs(stream);
        return stream.ToArray();
    }
}
