namespace CollectionWorker.Sheets;

/// <summary>
/// House rules for workbooks people open: user text is always written as text (a name such as
/// "=HYPERLINK(…)" stays a name, "001234" keeps its zeros), headers are bold and frozen with a
/// filter, columns get readable widths without AdjustToContents (which needs libgdiplus), rows fit their
/// wrapped text, and every sheet prints on A4 landscape, one page wide, with its header on every page.
/// </summary>
public static partial class SheetWriting
{
    /// <summary>Excel's hard limit for one cell; Excel refuses a file with a longer one.</summary>
    public const int MaxCellChars = 32_767;

    private const string TruncatedMark = "…（已截断 truncated）";

    /// <summary>The text cut to fit one cell (never inside a surrogate pair), marked as cut.</summary>
    public static string? Bounded(string? value)
    {
        if (value is null || value.Length <= MaxCellChars) return value;
        var keep = MaxCellChars - TruncatedMark.Length;
        if (char.IsHighSurrogate(value[keep - 1])) keep--;
        return string.Concat(value.AsSpan(0, keep), TruncatedMark);
    }

    /// <summary>The header's light blue.</summary>
    public const string HeaderFill = "#DDEBF7";

    public static void Header(XlsxWorksheet ws, int row, params string[] headers)
    {
        for (var c = 0; c < headers.Length; c++) ws.Text(row, c + 1, headers[c]);
        ws.Style(row, 1, row, headers.Length, s => s with { Bold = true, Fill = HeaderFill });
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
    public static void Finish(XlsxWorksheet ws, int headerRow, int lastRow, int columns)
    {
        ws.FreezeRows(headerRow);
        if (lastRow >= headerRow) ws.AutoFilter(headerRow, 1, Math.Max(lastRow, headerRow), columns);
        FitColumns(ws, headerRow, lastRow, columns);
        FitRows(ws, headerRow, lastRow, columns);
        PrintSetup(ws, headerRow);
    }

    /// <summary>Each column as wide as its widest line (CJK counted double) from the header down, within bounds.</summary>
    public static void FitColumns(XlsxWorksheet ws, int headerRow, int lastRow, int columns, double max = MaxColumnWidth)
    {
        for (var c = 1; c <= columns; c++)
        {
            var width = MinColumnWidth;
            // The first 500 rows tell the width; a column sized by a million rows would only be slow.
            // A bilingual header ("学号 StudentNumber") wraps at its spaces: its longest word counts, not the whole.
            foreach (var word in ws.Display(headerRow, c).Split(' ', '\n'))
                width = Math.Max(width, DisplayWidth(word) + 2);
            for (var r = headerRow + 1; r <= Math.Min(lastRow, headerRow + 500); r++)
                foreach (var line in ws.Display(r, c).Split('\n'))
                    width = Math.Max(width, DisplayWidth(line) + 2);
            ws.SetColumnWidth(c, Math.Min(width, max));
        }
    }

    /// <summary>
    /// Wraps text that is wider than its column (or has line breaks) and makes each row tall enough for
    /// its wrapped lines, so nothing overflows into a neighbour or is cut off. Rows already taller (a
    /// row of thumbnails) keep their height.
    /// </summary>
    public static void FitRows(XlsxWorksheet ws, int firstRow, int lastRow, int columns)
    {
        var widths = Enumerable.Range(1, columns).Select(ws.ColumnWidth).ToArray();
        var hidden = Enumerable.Range(1, columns).Select(ws.IsColumnHidden).ToArray();
        for (var r = firstRow; r <= lastRow; r++)
        {
            var lines = 1;
            for (var c = 1; c <= columns; c++)
            {
                if (hidden[c - 1]) continue;
                var text = ws.Display(r, c);
                if (text.Length == 0) continue;
                var needed = LinesFor(text, widths[c - 1]);
                if (needed > 1) ws.Style(r, c, s => s.WrapText ? s : s with { WrapText = true });
                lines = Math.Max(lines, needed);
            }
            if (lines > 1) ws.SetRowHeight(r, Math.Max(ws.RowHeight(r), lines * LineHeight + RowPadding));
        }
    }

    /// <summary>
    /// Merges one row's block of text (instructions, a message) and makes it wrap at the top of a row as tall as the text
    /// needs across the merged width. Call it after the columns have their widths.
    /// </summary>
    public static void FitMergedRow(XlsxWorksheet ws, int row, int firstColumn, int lastColumn)
    {
        ws.Merge(row, firstColumn, row, lastColumn);
        var width = Enumerable.Range(firstColumn, lastColumn - firstColumn + 1).Sum(ws.ColumnWidth);
        ws.Style(row, firstColumn, row, lastColumn, s => s with { WrapText = true, Vertical = VerticalAlign.Top });
        var lines = LinesFor(ws.Display(row, firstColumn), width);
        ws.SetRowHeight(row, Math.Max(ws.RowHeight(row), lines * LineHeight + RowPadding));
    }

    /// <summary>How many lines text takes in a column this wide: each line break, and each line wrapped at the width (characters, CJK double).</summary>
    public static int LinesFor(string text, double columnWidth)
    {
        var usable = Math.Max(1, columnWidth - 1);
        return text.Split('\n').Sum(line => Math.Max(1, (int)Math.Ceiling(DisplayWidth(line) / usable)));
    }

    /// <summary>Printing: A4 landscape, scaled to one page wide (as many pages tall as needed), rows 1 to <paramref name="repeatThroughRow"/> on every page, page numbers.</summary>
    public static void PrintSetup(XlsxWorksheet ws, int repeatThroughRow) => ws.PrintLandscape(repeatThroughRow);

    /// <summary>Chinese characters (and other East Asian wide characters) take about two columns of width.</summary>
    public static double DisplayWidth(string text) => TextWidth.Of(text);

    /// <summary>A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique in the workbook.</summary>
    public static string SheetName(XlsxWorkbook wb, string wanted)
    {
        var clean = new string(wanted.Select(ch => "[]:*?/\\".Contains(ch) ? '_' : ch).ToArray()).Trim('\'');
        if (clean.Length == 0) clean = "Sheet";
        if (clean.Length > 31) clean = clean[..31];
        var name = clean;
        for (var i = 2; wb.Sheet(name) is not null; i++)
        {
            var suffix = $" ({i})";
            name = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }
        return name;
    }

    /// <summary>A class's counts from <paramref name="column"/> on: total, approved, awaiting review, inspecting, rejected, missing, expired, % done.</summary>
    public static void ClassCounts(XlsxWorksheet ws, int row, int column, CollectionWorker.Store.ClassProgress c)
    {
        int[] counts = [c.Total, c.Approved, c.AwaitingReview, c.AwaitingInspection, c.Rejected, c.Missing, c.Expired];
        for (var i = 0; i < counts.Length; i++) ws.Number(row, column + i, counts[i]);
        ws.Number(row, column + counts.Length, (double)(c.CompletionPercent / 100), "0.0%");
    }
}
