using CollectionWorker.Sheets;
using ClosedXML.Excel;

namespace CollectionWorker.Sheets;

/// <summary>
/// House rules for workbooks people open: user text is always written as text (a name such as
/// "=HYPERLINK(…)" stays a name, "001234" keeps its zeros), headers are bold and frozen with a
/// filter, columns get readable widths without AdjustToContents (which needs libgdiplus), rows fit their
/// wrapped text, and every sheet prints on A4 landscape, one page wide, with its header on every page.
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

    /// <summary>Widest a column is made to fit its text (characters); longer text wraps inside it.</summary>
    public const double MaxColumnWidth = 50;
    public const double MinColumnWidth = 6;
    /// <summary>Points per wrapped line at the default 11 pt font (CJK glyphs included), and the row's padding.</summary>
    private const double LineHeight = 15, RowPadding = 3;

    /// <summary>
    /// Freezes the header, adds a filter over the table, fits the columns to their text and the rows to
    /// their wrapped text, and sets the sheet up to print (A4 landscape, fit to width, rows 1 to the
    /// header repeated on every page).
    /// </summary>
    public static void Finish(IXLWorksheet ws, int headerRow, int lastRow, int columns)
    {
        ws.SheetView.FreezeRows(headerRow);
        if (lastRow >= headerRow) ws.Range(headerRow, 1, Math.Max(lastRow, headerRow), columns).SetAutoFilter();
        FitColumns(ws, headerRow, lastRow, columns);
        FitRows(ws, headerRow, lastRow, columns);
        PrintSetup(ws, headerRow);
    }

    /// <summary>Each column as wide as its widest line (CJK counted double) from the header down, within bounds.</summary>
    public static void FitColumns(IXLWorksheet ws, int headerRow, int lastRow, int columns, double max = MaxColumnWidth)
    {
        for (var c = 1; c <= columns; c++)
        {
            var width = MinColumnWidth;
            // The first 500 rows tell the width; a column sized by a million rows would only be slow.
            // A bilingual header ("学号 StudentNumber") wraps at its spaces: its longest word counts, not the whole.
            foreach (var word in ws.Cell(headerRow, c).GetFormattedString().Split(' ', '\n'))
                width = Math.Max(width, DisplayWidth(word) + 2);
            for (var r = headerRow + 1; r <= Math.Min(lastRow, headerRow + 500); r++)
                foreach (var line in ws.Cell(r, c).GetFormattedString().Split('\n'))
                    width = Math.Max(width, DisplayWidth(line) + 2);
            ws.Column(c).Width = Math.Min(width, max);
        }
    }

    /// <summary>
    /// Wraps text that is wider than its column (or has line breaks) and makes each row tall enough for
    /// its wrapped lines, so nothing overflows into a neighbour or is cut off. Rows already taller (a
    /// row of thumbnails) keep their height.
    /// </summary>
    public static void FitRows(IXLWorksheet ws, int firstRow, int lastRow, int columns)
    {
        var widths = Enumerable.Range(1, columns).Select(c => ws.Column(c).Width).ToArray();
        for (var r = firstRow; r <= lastRow; r++)
        {
            var lines = 1;
            for (var c = 1; c <= columns; c++)
            {
                if (ws.Column(c).IsHidden) continue;
                var cell = ws.Cell(r, c);
                var text = cell.GetFormattedString();
                if (text.Length == 0) continue;
                var needed = LinesFor(text, widths[c - 1]);
                if (needed > 1) cell.Style.Alignment.WrapText = true;
                lines = Math.Max(lines, needed);
            }
            if (lines > 1) ws.Row(r).Height = Math.Max(ws.Row(r).Height, lines * LineHeight + RowPadding);
        }
    }

    /// <summary>A merged block of text (instructions, a message): wrapped, and its row as tall as the text needs across the merged width.</summary>
    public static void FitMergedRow(IXLRange merged)
    {
        var width = merged.Columns().Sum(c => c.WorksheetColumn().Width);
        merged.Style.Alignment.WrapText = true;
        merged.Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        var lines = LinesFor(merged.FirstCell().GetFormattedString(), width);
        var row = merged.FirstRow().WorksheetRow();
        row.Height = Math.Max(row.Height, lines * LineHeight + RowPadding);
    }

    /// <summary>How many lines text takes in a column this wide: each line break, and each line wrapped at the width (characters, CJK double).</summary>
    public static int LinesFor(string text, double columnWidth)
    {
        var usable = Math.Max(1, columnWidth - 1);
        return text.Split('\n').Sum(line => Math.Max(1, (int)Math.Ceiling(DisplayWidth(line) / usable)));
    }

    /// <summary>Printing: A4 landscape, scaled to one page wide (as many pages tall as needed), rows 1 to <paramref name="repeatThroughRow"/> on every page, page numbers.</summary>
    public static void PrintSetup(IXLWorksheet ws, int repeatThroughRow)
    {
        var page = ws.PageSetup;
        page.PaperSize = XLPaperSize.A4Paper;
        page.PageOrientation = XLPageOrientation.Landscape;
        page.FitToPages(1, 0);
        page.SetRowsToRepeatAtTop(1, repeatThroughRow);
        page.Margins.SetLeft(0.4).SetRight(0.4).SetTop(0.5).SetBottom(0.6).SetHeader(0.2).SetFooter(0.25);
        page.Footer.Center.AddText("&P / &N", XLHFOccurrence.AllPages);
        page.Footer.Left.AddText("&A", XLHFOccurrence.AllPages);
    }

    /// <summary>Chinese characters (and other East Asian wide characters) take about two columns of width.</summary>
    public static double DisplayWidth(string text) => TextWidth.Of(text);

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
