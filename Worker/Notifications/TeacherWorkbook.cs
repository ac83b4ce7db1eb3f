using CollectionWorker.Campaign;
using CollectionWorker.Sheets;
using CollectionWorker.Store;
using static CollectionWorker.Sheets.SheetWriting;

namespace CollectionWorker.Notifications;

/// <summary>
/// The Excel roster a teacher gets with each digest: a summary sheet (one row per class) and one
/// sheet per class listing every eligible student with status, last upload, reasons, deadline and the
/// details students must check for the diploma. Only the students passed in — the caller passes one
/// teacher's own classes.
/// </summary>
public sealed class TeacherWorkbook(CampaignClock clock)
{
    /// <param name="payments">the fee, once a payment export is imported: an "未缴费 Unpaid" column and count; null: none</param>
    /// <param name="seal">When given, the workbook also gets the sealed "信息核对 Check details" sheet for corrections.</param>
    public byte[] Build(string teacherName, IReadOnlyList<StudentProgress> students, bool showFullNationalId, PaymentBook? payments = null,
        CorrectionSeal? seal = null)
    {
        if (payments is { Imported: false }) payments = null;
        var wb = new XlsxWorkbook();
        var eligible = students.Where(s => s.Status != StudentStatus.NotEligible).ToList();
        var classes = ProgressReport.ByClass(eligible);

        var summary = wb.AddSheet("汇总 Summary");
        summary.Text(1, 1, $"{teacherName} — 毕业生图像信息采集进度 Photo collection progress, {clock.Format(clock.UtcNow)}");
        summary.Style(1, 1, s => s with { Bold = true });
        string[] summaryHeaders = ["班级 Class", "人数 Total", "已通过 Approved", "待审核 Awaiting review", "待检测 Inspecting",
            "未通过待重传 Rejected", "未上传 Missing", "逾期 Expired", "完成率 Done %"];
        Header(summary, 3, payments is null ? summaryHeaders : [.. summaryHeaders, UnpaidHeader]);
        var r = 4;
        foreach (var c in classes)
        {
            summary.Text(r, 1, c.ClassName);
            ClassCounts(summary, r, 2, c);
            if (payments is not null)
                summary.Number(r, 10, eligible.Count(s => s.ClassName == c.ClassName && !payments.IsPaid(s.Id)));
            r++;
        }
        Finish(summary, 3, r - 1, payments is null ? 9 : 10);

        foreach (var group in eligible.GroupBy(s => s.ClassName).OrderBy(g => g.Key, StringComparer.Ordinal))
            AddClassSheet(wb, group.Key, group.ToList(), showFullNationalId, payments);
        if (seal is not null && eligible.Count > 0)
            TeacherCorrectionsSheet.Add(wb, teacherName, eligible[0].TeacherEmail, eligible, seal, clock.UtcNow);
        return wb.ToBytes();
    }

    /// <summary>The fee column's header: empty for a student who paid, what is missing for the others.</summary>
    public const string UnpaidHeader = "未缴费 Unpaid";

    /// <summary>The fill of a fee still owed.</summary>
    private const string UnpaidFill = "#FFC7CE";

    private void AddClassSheet(XlsxWorkbook wb, string className, List<StudentProgress> students, bool showFullNationalId, PaymentBook? payments)
    {
        var ws = wb.AddSheet(SheetName(wb, className));
        string[] headers = ["学号 StudentNumber", "姓名 Name", "状态 Status", "最近上传 Last upload", "原因 Reasons", "重传截止 Deadline",
            "性别 Gender", "出生日期 BirthDate", "身份证号 NationalId", "年级 Grade", "专业 Major", "班级 Class",
            "手机号 Phone"];
        if (payments is not null) headers = [.. headers, UnpaidHeader];
        Header(ws, 1, headers);
        var r = 2;
        // Students needing action first, so the teacher sees whom to chase at the top.
        foreach (var s in students.OrderByDescending(s => StatusWords.NeedsAction(s.Status)).ThenBy(s => s.StudentNumber, StringComparer.Ordinal))
        {
            ws.Text(r, 1, s.StudentNumber);
            ws.Text(r, 2, s.Name);
            ws.Text(r, 3, StudentStatusMachine.Bilingual(s.Status));
            ws.Style(r, 3, st => st with { Fill = StatusWords.Fill(s.Status) });
            ws.Text(r, 4, s.LastUploadAt is { } u ? clock.Format(u) : "");
            ws.Text(r, 5, s.Status is StudentStatus.Rejected or StudentStatus.Expired ? s.ReasonsZh : "");
            ws.Text(r, 6, s.Status == StudentStatus.Rejected && s.ResubmitDeadline is { } d ? clock.Format(d) : "");
            ws.Text(r, 7, s.Gender);
            ws.Text(r, 8, s.BirthDate);
            ws.Text(r, 9, showFullNationalId ? s.NationalId : NationalId.Mask(s.NationalId));
            ws.Text(r, 10, s.Grade);
            ws.Text(r, 11, s.Major);
            ws.Text(r, 12, s.ClassName);
            // The student's phone from the roster: for the teacher who chases them, and nowhere else.
            ws.Text(r, 13, s.Phone ?? "");
            if (payments?.For(s.Id) is { State: not PaymentState.Paid } owed)
            {
                ws.Text(r, 14, owed.Bilingual);
                ws.Style(r, 14, st => st with { Fill = UnpaidFill });
            }
            r++;
        }
        Finish(ws, 1, r - 1, headers.Length);
    }
}
