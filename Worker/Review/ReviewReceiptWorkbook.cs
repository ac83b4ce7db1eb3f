using CollectionWorker.Sheets;
using CollectionWorker.Campaign;

namespace CollectionWorker.Review;

/// <summary>
/// The receipt for a returned sheet: who, when, the counts, and every row with what became of it,
/// coloured applied / ignored / needs attention, so the studio sees at a glance what to fix.
/// </summary>
public sealed class ReviewReceiptWorkbook(CampaignClock clock)
{
    private const string AppliedColour = "#E2EFDA";
    private const string IgnoredColour = "#EDEDED";
    private const string AttentionColour = "#F8CBAD";

    public byte[] Build(string fileName, string reviewer, DateTimeOffset importedAt, IReadOnlyList<ReviewRowOutcome> outcomes, string? error)
    {
        var wb = new XlsxWorkbook();
        var ws = wb.AddSheet("回执 Receipt");
        ws.Text(1, 1, "文件 File");
        ws.Text(1, 2, fileName);
        ws.Text(2, 1, "审核人 Reviewer");
        ws.Text(2, 2, reviewer);
        ws.Text(3, 1, "导入时间 Imported");
        ws.Text(3, 2, clock.Format(importedAt));
        ws.Text(4, 1, "结果 Result");
        ws.Text(4, 2, error is not null
            ? $"未导入 Not imported: {error}"
            : string.Join(", ", outcomes.GroupBy(o => o.Code).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        ws.Style(1, 1, 4, 1, s => s with { Bold = true });
        if (error is not null) ws.Style(4, 2, s => s with { Fill = AttentionColour });

        const int header = 6;
        SheetWriting.Header(ws, header, "工作表 Sheet", "行 Row", "学号 StudentNumber", "姓名 Name", "审核结果 Decision", "退回原因 Reasons",
            "备注 Note", "结果 Outcome", "说明 Message", "重传截止 Resubmit by", "SubmissionKey");
        var row = header + 1;
        foreach (var o in outcomes)
        {
            ws.Text(row, 1, o.Row.Sheet);
            ws.Number(row, 2, o.Row.Row);
            ws.Text(row, 3, o.Row.StudentNumber);
            ws.Text(row, 4, o.Row.Name);
            ws.Text(row, 5, o.Row.Decision);
            ws.Text(row, 6, o.Row.Reasons);
            ws.Text(row, 7, o.Row.Note);
            ws.Text(row, 8, o.Code);
            ws.Text(row, 9, o.Message);
            ws.Text(row, 10, o.ResubmitDeadline is { } d ? clock.Format(d) : "");
            ws.Text(row, 11, o.Row.Key);
            var fill = ReviewOutcomes.IsApplied(o.Kind) ? AppliedColour : ReviewOutcomes.IsIgnored(o.Kind) ? IgnoredColour : AttentionColour;
            ws.Style(row, 1, row, 11, s => s with { Fill = fill });
            row++;
        }
        SheetWriting.Finish(ws, header, row - 1, 11);
        // The result (a refusal can be a paragraph) across the table's width, wrapped, not running off the page.
        SheetWriting.FitMergedRow(ws, 4, 2, 11);
        return wb.ToBytes();
    }
}
