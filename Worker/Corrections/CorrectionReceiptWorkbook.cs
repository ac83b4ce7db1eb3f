using ClosedXML.Excel;
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
    private static readonly XLColor AcceptedColour = XLColor.FromHtml("#E2EFDA");
    private static readonly XLColor IgnoredColour = XLColor.FromHtml("#EDEDED");
    private static readonly XLColor RefusedColour = XLColor.FromHtml("#F8CBAD");

    public byte[] Build(string fileName, string teacherName, string teacherEmail, DateTimeOffset receivedAt, IReadOnlyList<CorrectionOutcome> outcomes)
    {
        using var wb = new XLWorkbook();
        var ws = wb.AddWorksheet("更正回执 Receipt");
        Text(ws.Cell(1, 1), "毕业证书信息更正回执 Receipt for diploma detail corrections");
        ws.Cell(1, 1).Style.Font.Bold = true;
        ws.Cell(1, 1).Style.Font.FontSize = 13;
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
            Text(ws.Cell(3 + i, 1), labels[i]);
            ws.Range(3 + i, 1, 3 + i, 2).Merge().Style.Font.SetBold().Alignment.SetVertical(XLAlignmentVerticalValues.Top);
            Text(ws.Cell(3 + i, 3), values[i]);
        }

        const int header = 8;
        Header(ws, header, "行 Row", "学号 StudentNumber", "姓名 Name", "项目 Field", "原信息 On record", "更正为 Correction", "结果 Outcome", "说明 Message");
        var row = header + 1;
        foreach (var o in outcomes)
        {
            ws.Cell(row, 1).SetValue(o.Row);
            Text(ws.Cell(row, 2), o.StudentNumber);
            Text(ws.Cell(row, 3), o.Name);
            Text(ws.Cell(row, 4), o.Field is { } f ? CorrectionSheetLayout.Bilingual(f) : "");
            Text(ws.Cell(row, 5), o.OldValue);
            Text(ws.Cell(row, 6), o.NewValue);
            Text(ws.Cell(row, 7), o.Label);
            Text(ws.Cell(row, 8), $"{o.MessageZh}\n{o.MessageEn}");
            ws.Range(row, 1, row, 8).Style.Fill.BackgroundColor = o.Refused ? RefusedColour
                : o.Kind is CorrectionOutcomeKind.Accepted ? AcceptedColour : IgnoredColour;
            row++;
        }
        if (outcomes.Count == 0)
        {
            Text(ws.Cell(row, 1), "名单中没有填写任何更正 / no correction was filled in");
            ws.Range(row, 1, row, 8).Merge();
            row++;
        }
        ws.Range(header + 1, 1, Math.Max(header + 1, row - 1), 8).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        Finish(ws, header, row - 1, 8);
        ws.Column(8).Width = MaxColumnWidth;
        FitRows(ws, header + 1, row - 1, 8);
        for (var i = 0; i < labels.Length; i++) FitMergedRow(ws.Range(3 + i, 3, 3 + i, 8).Merge());
        return ToBytes(wb);
    }
}
