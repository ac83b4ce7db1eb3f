using CollectionWorker.Sheets;
using ClosedXML.Excel;

namespace CollectionWorker.Roster;

/// <summary>
/// Writes the rejected roster back for the admin: the original rows as text, with an error column
/// in Chinese and English next to each bad row, and a sheet of problems with the whole file.
/// </summary>
public static class RosterErrorWorkbook
{
    public static string PathFor(string rosterPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(rosterPath))!, Path.GetFileNameWithoutExtension(rosterPath) + ".errors.xlsx");

    public static void Write(string path, RosterSheet sheet, IReadOnlyList<RosterProblem> problems)
    {
        using var wb = new XLWorkbook();
        var ws = wb.AddWorksheet("错误 Errors");
        var errorCol = sheet.Headers.Count + 1;
        for (var c = 0; c < sheet.Headers.Count; c++) ws.Cell(1, c + 1).SetValue(sheet.Headers[c]);
        ws.Cell(1, errorCol).SetValue("错误 Errors");
        ws.Row(1).Style.Font.Bold = true;

        var byRow = problems.Where(p => p.Row is not null).GroupBy(p => p.Row!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var r = 2;
        foreach (var row in sheet.Rows)
        {
            for (var c = 0; c < row.Cells.Length; c++) ws.Cell(r, c + 1).SetValue(row.Cells[c]);
            ws.Cell(r, errorCol + 1).SetValue(row.RowNumber); // the row number in the original sheet
            if (byRow.TryGetValue(row.RowNumber, out var list))
            {
                ws.Cell(r, errorCol).SetValue(string.Join("\n", list.Select(p => $"{p.Column}: {p.MessageZh} / {p.MessageEn}")));
                ws.Row(r).Style.Fill.BackgroundColor = XLColor.FromHtml("#FDE2E1");
            }
            r++;
        }
        ws.Cell(1, errorCol + 1).SetValue("原行号 SourceRow");
        // Columns fitted to the text (ID numbers whole), error text wrapped in rows tall enough, A4 landscape one page wide.
        CollectionWorker.Sheets.SheetWriting.Finish(ws, 1, r - 1, errorCol + 1);
        ws.Range(1, 1, Math.Max(1, r - 1), errorCol + 1).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;

        var fileProblems = problems.Where(p => p.Row is null || !sheet.Rows.Any(x => x.RowNumber == p.Row)).ToList();
        var fs = wb.AddWorksheet("文件 File");
        fs.Cell(1, 1).SetValue("位置 Where");
        fs.Cell(1, 2).SetValue("问题 Problem");
        fs.Cell(1, 3).SetValue("Problem (English)");
        fs.Row(1).Style.Font.Bold = true;
        var i = 2;
        foreach (var p in fileProblems)
        {
            fs.Cell(i, 1).SetValue(p.Where);
            fs.Cell(i, 2).SetValue(p.MessageZh);
            fs.Cell(i, 3).SetValue(p.MessageEn);
            i++;
        }
        CollectionWorker.Sheets.SheetWriting.Finish(fs, 1, i - 1, 3);
        if (fileProblems.Count > 0) fs.SetTabActive();

        // Written whole, then renamed: an admin never opens a half-written error workbook.
        var temp = path + ".tmp";
        using (var stream = File.Create(temp)) wb.SaveAs(stream);
        File.Move(temp, path, overwrite: true);
    }
}
