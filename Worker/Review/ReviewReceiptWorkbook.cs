using CollectionWorker.Sheets;
using ClosedXML.Excel;
using CollectionWorker.Campaign;

namespace CollectionWorker.Review;

/// <summary>
/// The receipt for a returned sheet: who, when, the counts, and every row with what became of it,
/// coloured applied / ignored / needs attention, so the studio sees at a glance what to fix.
/// </summary>
public sealed class ReviewReceiptWorkbook(CampaignClock clock)
{
    private static readonly XLColor AppliedColour = XLColor.FromHtml("#E2EFDA");
    private static readonly XLColor IgnoredColour = XLColor.FromHtml("#EDEDED");
    private static readonly XLColor AttentionColour = XLColor.FromHtml("#F8CBAD");

    public byte[] Build(string fileName, string reviewer, DateTimeOffset importedAt, IReadOnlyList<ReviewRowOutcome> outcomes, string? error)
    {
        using var wb = new XLWorkbook();
        var ws = wb.AddWorksheet("回执 Receipt");
        SheetWriting.Text(ws.Cell(1, 1), "文件 File");
        SheetWriting.Text(ws.Cell(1, 2), fileName);
        SheetWriting.Text(ws.Cell(2, 1), "审核人 Reviewer");
        SheetWriting.Text(ws.Cell(2, 2), reviewer);
        SheetWriting.Text(ws.Cell(3, 1), "导入时间 Imported");
        SheetWriting.Text(ws.Cell(3, 2), clock.Format(importedAt));
        SheetWriting.Text(ws.Cell(4, 1), "结果 Result");
        SheetWriting.Text(ws.Cell(4, 2), error is not null
            ? $"未导入 Not imported: {error}"
            : string.Join(", ", outcomes.GroupBy(o => o.Code).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        ws.Range(1, 1, 4, 1).Style.Font.Bold = true;
        if (error is not null) ws.Cell(4, 2).Style.Fill.BackgroundColor = AttentionColour;

        const int header = 6;
        SheetWriting.Header(ws, header, "工作表 Sheet", "行 Row", "学号 StudentNumber", "姓名 Name", "审核结果 Decision", "退回原因 Reasons",
            "备注 Note", "结果 Outcome", "说明 Message", "重传截止 Resubmit by", "SubmissionKey");
        var row = header + 1;
        foreach (var o in outcomes)
        {
            SheetWriting.Text(ws.Cell(row, 1), o.Row.Sheet);
            ws.Cell(row, 2).SetValue(o.Row.Row);
            SheetWriting.Text(ws.Cell(row, 3), o.Row.StudentNumber);
            SheetWriting.Text(ws.Cell(row, 4), o.Row.Name);
            SheetWriting.Text(ws.Cell(row, 5), o.Row.Decision);
            SheetWriting.Text(ws.Cell(row, 6), o.Row.Reasons);
            SheetWriting.Text(ws.Cell(row, 7), o.Row.Note);
            SheetWriting.Text(ws.Cell(row, 8), o.Code);
            SheetWriting.Text(ws.Cell(row, 9), o.Message);
            SheetWriting.Text(ws.Cell(row, 10), o.ResubmitDeadline is { } d ? clock.Format(d) : "");
            SheetWriting.Text(ws.Cell(row, 11), o.Row.Key);
            ws.Range(row, 1, row, 11).Style.Fill.BackgroundColor =
                ReviewOutcomes.IsApplied(o.Kind) ? AppliedColour : ReviewOutcomes.IsIgnored(o.Kind) ? IgnoredColour : AttentionColour;
            row++;
        }
        SheetWriting.Finish(ws, header, row - 1, 11);
        // The result (a refusal can be a paragraph) across the table's width, wrapped, not running off the page.
        SheetWriting.FitMergedRow(ws.Range(4, 2, 4, 11).Merge());
        return SheetWriting.ToBytes(wb);
    }
}
