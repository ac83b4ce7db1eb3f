using CollectionWorker.Campaign;
using CollectionWorker.Sheets;
using CollectionWorker.Store;
using static CollectionWorker.Sheets.SheetWriting;

namespace CollectionWorker.Notifications;

/// <summary>What the admin report covers, read from the store and the data directory.</summary>
public sealed record AdminReportData(
    IReadOnlyList<StudentProgress> Students,
    IReadOnlyList<KeptAsideFile> KeptAside,
    IReadOnlyList<FailedMail> FailedMails,
    TimeSpan ReviewSla,
    IReadOnlyList<CohortExportProgress> Exports);

public sealed record KeptAsideFile(string Folder, string Name, string Reason);

public sealed record FailedMail(string Recipient, string Template, string Error, DateTimeOffset CreatedAt);

/// <summary>
/// The admin's campaign workbook: progress per cohort and class, files kept aside (unmatched,
/// refused), overdue reviews, expired students and e-mails that could not be delivered.
/// </summary>
public sealed class AdminReportWorkbook(CampaignClock clock)
{
    public byte[] Build(AdminReportData data)
    {
        var wb = new XlsxWorkbook();
        var eligible = data.Students.Where(s => s.Status != StudentStatus.NotEligible).ToList();

        var ws = wb.AddSheet("进度 Progress");
        ws.Text(1, 1, $"毕业生图像信息采集 Campaign report, {clock.Format(clock.UtcNow)}");
        ws.Style(1, 1, s => s with { Bold = true });
        Header(ws, 3, "采集对象 Cohort", "班级 Class", "班主任 Teacher", "人数 Total", "已通过 Approved", "待审核 Awaiting review",
            "待检测 Inspecting", "未通过待重传 Rejected", "未上传 Missing", "逾期 Expired", "完成率 Done %");
        var r = 4;
        foreach (var cohort in eligible.GroupBy(s => s.Cohort).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var c in ProgressReport.ByClass(cohort))
            {
                ws.Text(r, 1, cohort.Key);
                ws.Text(r, 2, c.ClassName);
                ws.Text(r, 3, c.Teacher);
                ClassCounts(ws, r, 4, c);
                r++;
            }
        }
        var all = ClassProgress.Of("(all)", eligible);
        ws.Text(r, 1, "合计 Total");
        ClassCounts(ws, r, 4, all);
        ws.Style(r, 1, r, 11, s => s with { Bold = true });
        Finish(ws, 3, r, 11);

        var kept = wb.AddSheet("未匹配与拒收 Kept aside");
        Header(kept, 1, "文件夹 Folder", "文件 File", "原因 Reason");
        r = 2;
        foreach (var f in data.KeptAside)
        {
            kept.Text(r, 1, f.Folder);
            kept.Text(r, 2, f.Name);
            kept.Text(r, 3, f.Reason);
            r++;
        }
        Finish(kept, 1, r - 1, 3);

        var overdue = wb.AddSheet("超时未审 Overdue reviews");
        Header(overdue, 1, "学号 StudentNumber", "姓名 Name", "班级 Class", "上传时间 Uploaded", "超时 Overdue (h)");
        r = 2;
        var now = clock.UtcNow;
        foreach (var s in eligible.Where(s => s.Status == StudentStatus.AwaitingReview && s.LastUploadAt is { } u && now - u > data.ReviewSla)
                     .OrderBy(s => s.LastUploadAt))
        {
            overdue.Text(r, 1, s.StudentNumber);
            overdue.Text(r, 2, s.Name);
            overdue.Text(r, 3, s.ClassName);
            overdue.Text(r, 4, clock.Format(s.LastUploadAt!.Value));
            overdue.Number(r, 5, Math.Round((now - s.LastUploadAt!.Value - data.ReviewSla).TotalHours, 1));
            r++;
        }
        Finish(overdue, 1, r - 1, 5);

        var expired = wb.AddSheet("逾期未重传 Expired");
        Header(expired, 1, "学号 StudentNumber", "姓名 Name", "班级 Class", "班主任 Teacher", "原因 Reasons", "截止 Deadline");
        r = 2;
        foreach (var s in eligible.Where(s => s.Status == StudentStatus.Expired))
        {
            expired.Text(r, 1, s.StudentNumber);
            expired.Text(r, 2, s.Name);
            expired.Text(r, 3, s.ClassName);
            expired.Text(r, 4, s.TeacherName);
            expired.Text(r, 5, s.ReasonsZh);
            expired.Text(r, 6, s.ResubmitDeadline is { } d ? clock.Format(d) : "");
            r++;
        }
        Finish(expired, 1, r - 1, 6);

        var failed = wb.AddSheet("发送失败 Failed e-mails");
        Header(failed, 1, "收件人 Recipient", "邮件 Template", "错误 Error", "时间 Created");
        r = 2;
        foreach (var m in data.FailedMails)
        {
            failed.Text(r, 1, m.Recipient);
            failed.Text(r, 2, m.Template);
            failed.Text(r, 3, m.Error);
            failed.Text(r, 4, clock.Format(m.CreatedAt));
            r++;
        }
        Finish(failed, 1, r - 1, 4);

        var exports = wb.AddSheet("导出 Export");
        Header(exports, 1, "采集对象 Cohort", "应采 Eligible", "已通过 Approved", "已导出 Exported", "未导出 Not yet exported");
        r = 2;
        foreach (var e in data.Exports)
        {
            exports.Text(r, 1, e.Cohort);
            exports.Number(r, 2, e.Eligible);
            exports.Number(r, 3, e.Approved);
            exports.Number(r, 4, e.Exported);
            exports.Number(r, 5, e.StillMissing);
            r++;
        }
        Finish(exports, 1, r - 1, 5);
        return wb.ToBytes();
    }
}
