using ClosedXML.Excel;
using CollectionWorker.Sheets;

namespace CollectionWorker.Payments;

/// <summary>
/// The refused export written back for the admin as .xlsx (also for a CSV): the rows as read, an error
/// column in Chinese and English beside each bad row, and a sheet for problems with the whole file.
/// </summary>
public static class PaymentErrorWorkbook
{
    public static string PathFor(string exportPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(exportPath))!, Path.GetFileNameWithoutExtension(exportPath) + ".errors.xlsx");

    public static void Write(string path, PaymentSheet sheet, IReadOnlyList<PaymentProblem> problems)
    {
        using var wb = new XLWorkbook();
        var ws = wb.AddWorksheet("错误 Errors");
        var columns = Math.Max(sheet.Headers.Count, sheet.Rows.Count == 0 ? 0 : sheet.Rows.Max(r => r.Cells.Length));
        var errorCol = columns + 1;
        SheetWriting.Header(ws, 1, [.. sheet.Headers, .. Enumerable.Repeat("", columns - sheet.Headers.Count), "错误 Errors", "原行号 SourceRow"]);

        var byRow = problems.Where(p => p.Row is not null).GroupBy(p => p.Row!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var r = 2;
        foreach (var row in sheet.Rows)
        {
            for (var c = 0; c < row.Cells.Length; c++) SheetWriting.Text(ws.Cell(r, c + 1), row.Cells[c]);
            ws.Cell(r, errorCol + 1).SetValue(row.RowNumber);
            if (byRow.TryGetValue(row.RowNumber, out var list))
            {
                SheetWriting.Text(ws.Cell(r, errorCol), string.Join("\n", list.Select(p => $"{p.Column}: {p.MessageZh} / {p.MessageEn}")));
                ws.Range(r, 1, r, errorCol + 1).Style.Fill.BackgroundColor = XLColor.FromHtml("#FDE2E1");
            }
            r++;
        }
        SheetWriting.Finish(ws, 1, r - 1, errorCol + 1);
        ws.Range(1, 1, Math.Max(1, r - 1), errorCol + 1).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        ws.Column(errorCol).Style.Alignment.WrapText = true;

        var fileProblems = problems.Where(p => p.Row is null || !sheet.Rows.Any(x => x.RowNumber == p.Row)).ToList();
        var fs = wb.AddWorksheet("文件 File");
        SheetWriting.Header(fs, 1, "位置 Where", "问题 Problem", "Problem (English)");
        var i = 2;
        foreach (var p in fileProblems)
        {
            SheetWriting.Text(fs.Cell(i, 1), p.Where);
            SheetWriting.Text(fs.Cell(i, 2), p.MessageZh);
            SheetWriting.Text(fs.Cell(i, 3), p.MessageEn);
            i++;
        }
        SheetWriting.Finish(fs, 1, i - 1, 3);
        if (fileProblems.Count > 0) fs.SetTabActive();

        // Written whole, then renamed: nobody opens a half-written error workbook.
        var temp = path + ".tmp";
        using (var stream = File.Create(temp)) wb.SaveAs(stream);
        File.Move(temp, path, overwrite: true);
    }
}
