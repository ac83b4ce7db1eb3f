using CollectionWorker.Campaign;
using CollectionWorker.Sheets;
using static CollectionWorker.Sheets.SheetWriting;

namespace CollectionWorker.Corrections;

/// <summary>
/// The receipt a teacher gets back: when the corrections arrived, the counts, and every typed correction
/// with what became of it (green received, grey nothing to do, red refused with the reason), ID numbers masked.
/// </summary>
public sealed class CorrectionReceiptWorkbook(CampaignClock clock)
{
    private const string AcceptedFill = "#E2EFDA", IgnoredFill = "#EDEDED", RefusedFill = "#F8CBAD";

    public byte[] Build(string fileName, string teacherName, string teacherEmail, DateTimeOffset receivedAt, IReadOnlyList<CorrectionOutcome> outcomes)
    {
        var wb = new XlsxWorkbook();
        var ws = wb.AddSheet("更正回执 Receipt");
        ws.Text(1, 1, "毕业证书信息更正回执 Receipt for diploma detail corrections");
        ws.Style(1, 1, s => s with { Bold = true, FontSize = 13 });
        string[] labels = ["文件 File", "班主任 Teacher", "收到时间 Received", "结果 Result"];
        string[] values =
        [
            fileName, $"{teacherName} <{teacherEmail}>", clock.Format(receivedAt),
            $"已收到 {outcomes.Count(o => o.Kind == CorrectionOutcomeKind.Accepted)} 项，已收到过 {outcomes.Count(o => o.Kind == CorrectionOutcomeKind.AlreadyReceived)} 项，" +
            $"无需更正 {outcomes.Count(o => o.Kind is CorrectionOutcomeKind.Unchanged or CorrectionOutcomeKind.NoteOnly)} 项，未收 {outcomes.Count(o => o.Refused)} 项（见红色行）。" +
            "已收到的更正由教务处核对后更新名单，证书以更新后的名单为准。 / " +
            $"{outcomes.Count(o => o.Kind == CorrectionOutcomeKind.Accepted)} accepted, {outcomes.Count(o => o.Kind == CorrectionOutcomeKind.AlreadyReceived)} already received, " +
            $"{outcomes.Count(o => o.Kind is CorrectionOutcomeKind.Unchanged or CorrectionOutcomeKind.NoteOnly)} nothing to do, {outcomes.Count(o => o.Refused)} refused (red rows). " +
            "The academic office applies accepted corrections to the roster; the diploma follows the corrected roster.",
        ];
        // Labels across the narrow first two columns, values across the rest, so neither runs into the other.
        for (var i = 0; i < labels.Length; i++)
        {
            ws.Text(3 + i, 1, labels[i]);
            ws.Merge(3 + i, 1, 3 + i, 2);
            ws.Style(3 + i, 1, 3 + i, 2, s => s with { Bold = true, Vertical = VerticalAlign.Top });
            ws.Text(3 + i, 3, values[i]);
        }

        const int header = 8;
        Header(ws, header, "行 Row", "学号 StudentNumber", "姓名 Name", "项目 Field", "原信息 On record", "更正为 Correction", "结果 Outcome", "说明 Message");
        var row = header + 1;
        foreach (var o in outcomes)
        {
            ws.Number(row, 1, o.Row);
            ws.Text(row, 2, o.StudentNumber);
            ws.Text(row, 3, o.Name);
            ws.Text(row, 4, o.Field is { } f ? CorrectionSheetLayout.Bilingual(f) : "");
            ws.Text(row, 5, o.OldValue);
            ws.Text(row, 6, o.NewValue);
            ws.Text(row, 7, o.Label);
            ws.Text(row, 8, $"{o.MessageZh}\n{o.MessageEn}");
            var fill = o.Refused ? RefusedFill : o.Kind is CorrectionOutcomeKind.Accepted ? AcceptedFill : IgnoredFill;
            ws.Style(row, 1, row, 8, s => s with { Fill = fill });
            row++;
        }
        if (outcomes.Count == 0)
        {
            ws.Text(row, 1, "名单中没有填写任何更正 / no correction was filled in");
            ws.Merge(row, 1, row, 8);
            row++;
        }
        ws.Style(header + 1, 1, Math.Max(header + 1, row - 1), 8, s => s with { Vertical = VerticalAlign.Top });
        Finish(ws, header, row - 1, 8);
        ws.SetColumnWidth(8, MaxColumnWidth);
        FitRows(ws, header + 1, row - 1, 8);
        for (var i = 0; i < labels.Length; i++) FitMergedRow(ws, 3 + i, 3, 8);
        return wb.ToBytes();
    }
}
