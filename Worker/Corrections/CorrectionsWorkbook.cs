using ClosedXML.Excel;
using CollectionWorker.Campaign;
using CollectionWorker.Sheets;
using static CollectionWorker.Sheets.SheetWriting;

namespace CollectionWorker.Corrections;

/// <summary>
/// The admin's one consolidated list of every correction the teachers sent: student, detail, old and new
/// value (in full: it stays on the server), teacher, when, status. Pending first. The admin corrects the
/// roster from it and imports the roster as always; the status turns to applied by itself.
/// </summary>
public sealed class CorrectionsWorkbook(CampaignClock clock)
{
    private static readonly XLColor PendingColour = XLColor.FromHtml("#FFF2CC");
    private static readonly XLColor AppliedColour = XLColor.FromHtml("#E2EFDA");
    private static readonly XLColor SupersededColour = XLColor.FromHtml("#EDEDED");

    public static string StatusText(CorrectionStatus status) => status switch
    {
        CorrectionStatus.Pending => "待更正 Pending",
        CorrectionStatus.Applied => "已更正 Applied",
        CorrectionStatus.Superseded => "已被新更正取代 Superseded",
        _ => status.ToString(),
    };

    public byte[] Build(IReadOnlyList<CorrectionEntry> entries)
    {
        using var wb = new XLWorkbook();
        var ws = wb.AddWorksheet("信息更正 Corrections");
        var pending = entries.Count(e => e.Status == CorrectionStatus.Pending);
        Text(ws.Cell(1, 1), $"毕业证书信息更正汇总 Diploma detail corrections — {clock.Format(clock.UtcNow)}：待更正 {pending} 项 / {pending} pending, 共 {entries.Count} 项 / {entries.Count} in all");
        ws.Cell(1, 1).Style.Font.Bold = true;
        Text(ws.Cell(2, 1),
            "班主任交回的更正不会自动修改名单。请按“待更正”各行修改学生名单，再像平时一样导入名单（import-roster 或 roster-inbox/）；名单中的值与更正一致后，状态自动变为“已更正”。\n" +
            "Teachers' corrections never change the roster by themselves. Correct the roster from the pending rows and import it as usual (import-roster or roster-inbox/); " +
            "once the roster holds the corrected value, the status turns to Applied by itself.");

        const int header = 3;
        string[] headers = ["状态 Status", "学号 StudentNumber", "姓名 Name", "班级 Class", "项目 Field", "原信息 Old value", "更正为 New value",
            "备注 Note", "班主任 Teacher", "收到 Received", "状态时间 Status at", "文件 File"];
        Header(ws, header, headers);
        var row = header + 1;
        foreach (var e in entries)
        {
            Text(ws.Cell(row, 1), StatusText(e.Status));
            Text(ws.Cell(row, 2), e.StudentNumber);
            Text(ws.Cell(row, 3), e.StudentName);
            Text(ws.Cell(row, 4), e.ClassName);
            Text(ws.Cell(row, 5), CorrectionSheetLayout.Bilingual(e.Field));
            Text(ws.Cell(row, 6), e.OldValue);
            Text(ws.Cell(row, 7), e.NewValue);
            Text(ws.Cell(row, 8), e.Note);
            Text(ws.Cell(row, 9), e.TeacherName);
            Text(ws.Cell(row, 10), clock.Format(e.ReceivedAt));
            Text(ws.Cell(row, 11), clock.Format(e.StatusAt));
            Text(ws.Cell(row, 12), e.FileName);
            ws.Range(row, 1, row, headers.Length).Style.Fill.BackgroundColor = e.Status switch
            {
                CorrectionStatus.Pending => PendingColour,
                CorrectionStatus.Applied => AppliedColour,
                _ => SupersededColour,
            };
            ws.Cell(row, 7).Style.Font.Bold = e.Status == CorrectionStatus.Pending;
            row++;
        }
        Finish(ws, header, row - 1, headers.Length);
        FitMergedRow(ws.Range(1, 1, 1, headers.Length).Merge());
        FitMergedRow(ws.Range(2, 1, 2, headers.Length).Merge());
        return ToBytes(wb);
    }
}
