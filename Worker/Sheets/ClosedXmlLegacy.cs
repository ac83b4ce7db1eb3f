using ClosedXML.Excel;

namespace CollectionWorker.Sheets;

// TEMPORARY, for the files xlsx-w2 ports (Notifications, Corrections, Host/Demo, Benchmarks): the ClosedXML forms of
// the house rules, exactly as they were, so those files build unchanged until they move to XlsxWorkbook. Delete this
// file together with the ClosedXML and System.Drawing.Common package references once nothing calls it.
public static partial class SheetWriting
{
    private const double LegacyLineHeight = 15, LegacyRowPadding = 3;

    public static void Text(IXLCell cell, string? value)
    {
        value = Bounded(value);
        cell.SetValue(value ?? "");
        // Excel would treat text starting with these as a formula when the cell is edited.
        if (value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@') cell.Style.IncludeQuotePrefix = true;
    }

    public static void Header(IXLWorksheet ws, int row, params string[] headers)
    {
        for (var c = 0; c < headers.Length; c++) Text(ws.Cell(row, c + 1), headers[c]);
        var range = ws.Range(row, 1, row, headers.Length);
        range.Style.Font.Bold = true;
        range.Style.Fill.BackgroundColor = XLColor.FromHtml("#DDEBF7");
    }

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
            if (lines > 1) ws.Row(r).Height = Math.Max(ws.Row(r).Height, lines * LegacyLineHeight + LegacyRowPadding);
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
        row.Height = Math.Max(row.Height, lines * LegacyLineHeight + LegacyRowPadding);
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

public static partial class StatusWords
{
    public static XLColor Colour(CollectionWorker.Store.StudentStatus s) => Fill(s) is { } html ? XLColor.FromHtml(html) : XLColor.NoColor;
}
