using CollectionWorker.Sheets;

namespace CollectionWorker.Roster;

/// <summary>
/// Writes the rejected roster back for the admin: the original rows as text, with an error column
/// in Chinese and English next to each bad row, and a sheet of problems with the whole file.
/// </summary>
public static class RosterErrorWorkbook
{
    public static string PathFor(string rosterPath) => ErrorWorkbookPath.Beside(rosterPath);

    public static void Write(string path, RosterSheet sheet, IReadOnlyList<RosterProblem> problems)
    {
        var wb = new XlsxWorkbook();
        var ws = wb.AddSheet("错误 Errors");
        var errorCol = sheet.Headers.Count + 1;
        for (var c = 0; c < sheet.Headers.Count; c++) ws.Text(1, c + 1, sheet.Headers[c]);
        ws.Text(1, errorCol, "错误 Errors");
        ws.Text(1, errorCol + 1, "原行号 SourceRow");
        ws.Style(1, 1, 1, errorCol + 1, s => s with { Bold = true });

        var byRow = problems.Where(p => p.Row is not null).GroupBy(p => p.Row!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var r = 2;
        foreach (var row in sheet.Rows)
        {
            // The original rows as text: ID numbers and student numbers keep every digit and leading zero.
            for (var c = 0; c < row.Cells.Length; c++) ws.Text(r, c + 1, row.Cells[c]);
            ws.Number(r, errorCol + 1, row.RowNumber); // the row number in the original sheet
            if (byRow.TryGetValue(row.RowNumber, out var list))
            {
                ws.Text(r, errorCol, string.Join("\n", list.Select(p => $"{p.Column}: {p.MessageZh} / {p.MessageEn}")));
                ws.Style(r, 1, r, errorCol + 1, s => s with { Fill = "#FDE2E1" });
            }
            r++;
        }
        // Columns fitted to the text (ID numbers whole), error text wrapped in rows tall enough, A4 landscape one page wide.
        SheetWriting.Finish(ws, 1, r - 1, errorCol + 1);
        ws.Style(1, 1, Math.Max(1, r - 1), errorCol + 1, s => s with { Vertical = VerticalAlign.Top });

        // A set of the rows written: a province's roster wrong on every row is 250,000 problems against 250,000 rows.
        var rowsWritten = sheet.Rows.Select(x => x.RowNumber).ToHashSet();
        var fileProblems = problems.Where(p => p.Row is null || !rowsWritten.Contains(p.Row.Value)).ToList();
        var fs = wb.AddSheet("文件 File");
        fs.Text(1, 1, "位置 Where");
        fs.Text(1, 2, "问题 Problem");
        fs.Text(1, 3, "Problem (English)");
        fs.Style(1, 1, 1, 3, s => s with { Bold = true });
        var i = 2;
        foreach (var p in fileProblems)
        {
            fs.Text(i, 1, p.Where);
            fs.Text(i, 2, p.MessageZh);
            fs.Text(i, 3, p.MessageEn);
            i++;
        }
        SheetWriting.Finish(fs, 1, i - 1, 3);
        if (fileProblems.Count > 0) wb.ActiveSheet = fs;

        // Written whole, then renamed: an admin never opens a half-written error workbook.
        wb.SaveAs(path);
    }
}
