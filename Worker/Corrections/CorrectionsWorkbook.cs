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
    private const string PendingFill = "#FFF2CC", AppliedFill = "#E2EFDA", SupersededFill = "#EDEDED";

    public static string StatusText(CorrectionStatus status) => status switch
    {
        CorrectionStatus.Pending => "待更正 Pending",
        CorrectionStatus.Applied => "已更正 Applied",
        CorrectionStatus.Superseded => "已被新更正取代 Superseded",
        _ => status.ToString(),
    };

    public byte[] Build(IReadOnlyList<CorrectionEntry> entries)
    {
        var wb = new XlsxWorkbook();
        var ws = wb.AddSheet("信息更正 Corrections");
        var pending = entries.Count(e => e.Status == CorrectionStatus.Pending);
        ws.Text(1, 1, $"毕业证书信息更正汇总 Diploma detail corrections — {clock.Format(clock.UtcNow)}：待更正 {pending} 项 / {pending} pending, 共 {entries.Count} 项 / {entries.Count} in all");
        ws.Style(1, 1, s => s with { Bold = true });
        ws.Text(2, 1, "班主任交回的更正不会自动修改名单。请按“待更正”各行修改学生名单，再像平时一样导入名单（import-roster 或 roster-inbox/）；名单中的值与更正一致后，状态自动变为“已更正”。\n" +
            "Teachers' corrections never change the roster by themselves. Correct the roster from the pending rows and import it as usual (import-roster or roster-inbox/); " +
            "once the roster holds the corrected value, the status turns to Applied by itself.");

        const int header = 3;
        string[] headers = ["状态 Status", "学号 StudentNumber", "姓名 Name", "班级 Class", "项目 Field", "原信息 Old value", "更正为 New value",
            "备注 Note", "班主任 Teacher", "收到 Received", "状态时间 Status at", "文件 File"];
        Header(ws, header, headers);
        var row = header + 1;
        foreach (var e in entries)
        {
            ws.Text(row, 1, StatusText(e.Status));
            ws.Text(row, 2, e.StudentNumber);
            ws.Text(row, 3, e.StudentName);
            ws.Text(row, 4, e.ClassName);
            ws.Text(row, 5, CorrectionSheetLayout.Bilingual(e.Field));
            ws.Text(row, 6, e.OldValue);
            ws.Text(row, 7, e.NewValue);
            ws.Text(row, 8, e.Note);
            ws.Text(row, 9, e.TeacherName);
            ws.Text(row, 10, clock.Format(e.ReceivedAt));
            ws.Text(row, 11, clock.Format(e.StatusAt));
            ws.Text(row, 12, e.FileName);
            var fill = e.Status switch
            {
                CorrectionStatus.Pending => PendingFill,
                CorrectionStatus.Applied => AppliedFill,
                _ => SupersededFill,
            };
            ws.Style(row, 1, row, headers.Length, s => s with { Fill = fill });
            // The value to type into the roster stands out while it is still to do.
            if (e.Status == CorrectionStatus.Pending) ws.Style(row, 7, s => s with { Bold = true });
            row++;
        }
        Finish(ws, header, row - 1, headers.Length);
        FitMergedRow(ws, 1, 1, headers.Length);
        FitMergedRow(ws, 2, 1, headers.Length);
        return wb.ToBytes();
    }
}
