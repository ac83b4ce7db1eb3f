using CollectionWorker.Sheets;

namespace CollectionWorker.Payments;

/// <summary>
/// The refused export written back for the admin as .xlsx (also for a CSV): the rows as read, an error
/// column in Chinese and English beside each bad row, and a sheet for problems with the whole file.
/// </summary>
public static class PaymentErrorWorkbook
{
    public static string PathFor(string exportPath) => ErrorWorkbookPath.Beside(exportPath);

    public static void Write(string path, PaymentSheet sheet, IReadOnlyList<PaymentProblem> problems)
    {
        var wb = new XlsxWorkbook();
        var ws = wb.AddSheet("错误 Errors");
        var columns = Math.Max(sheet.Headers.Count, sheet.Rows.Count == 0 ? 0 : sheet.Rows.Max(r => r.Cells.Length));
        var errorCol = columns + 1;
        SheetWriting.Header(ws, 1, [.. sheet.Headers, .. Enumerable.Repeat("", columns - sheet.Headers.Count), "错误 Errors", "原行号 SourceRow"]);

        var byRow = problems.Where(p => p.Row is not null).GroupBy(p => p.Row!.Value).ToDictionary(g => g.Key, g => g.ToList());
        var r = 2;
        foreach (var row in sheet.Rows)
        {
            for (var c = 0; c < row.Cells.Length; c++) ws.Text(r, c + 1, row.Cells[c]);
            ws.Number(r, errorCol + 1, row.RowNumber);
            if (byRow.TryGetValue(row.RowNumber, out var list))
            {
                ws.Text(r, errorCol, string.Join("\n", list.Select(p => $"{p.Column}: {p.MessageZh} / {p.MessageEn}")));
                ws.Style(r, 1, r, errorCol + 1, s => s with { Fill = "#FDE2E1" });
            }
            r++;
        }
        SheetWriting.Finish(ws, 1, r - 1, errorCol + 1);
        ws.Style(1, 1, Math.Max(1, r - 1), errorCol + 1, s => s with { Vertical = VerticalAlign.Top });
        ws.Style(1, errorCol, Math.Max(1, r - 1), errorCol, s => s with { WrapText = true });

        var fileProblems = problems.Where(p => p.Row is null || !sheet.Rows.Any(x => x.RowNumber == p.Row)).ToList();
        var fs = wb.AddSheet("文件 File");
        SheetWriting.Header(fs, 1, "位置 Where", "问题 Problem", "Problem (English)");
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

        // Written whole, then renamed: nobody opens a half-written error workbook.
        wb.SaveAs(path);
    }
}
