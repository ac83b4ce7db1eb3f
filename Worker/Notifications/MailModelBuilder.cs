using CollectionWorker.Sheets;
using System.Text.Json;
using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Notifications;

/// <summary>An attachment of a composed e-mail; with a <paramref name="ContentId"/> it is shown in the body (<c>&lt;img src="cid:…"&gt;</c>).</summary>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content, string? ContentId = null);

/// <summary>What a template renders and what the e-mail carries along.</summary>
public sealed record MailModel(Dictionary<string, object?> Values, List<MailAttachment> Attachments);

/// <summary>
/// Builds a template's model from the store at sending time. The outbox row carries only what
/// identifies the notice (a teacher, a submission, a date) as <c>event</c>; names, counts and
/// workbooks are read fresh, so every e-mail shows the state when it leaves. Teachers only ever get
/// their own classes.
/// </summary>
public sealed class MailModelBuilder(
    ProgressReport progress,
    Database database,
    DataPaths paths,
    CampaignClock clock,
    TeacherWorkbook teacherWorkbook,
    AdminReportWorkbook adminWorkbook,
    ExportProgress exports,
    IOptions<CampaignOptions> campaign,
    IOptions<NotificationsOptions> notifications,
    ICampaignReportPage htmlReport,
    StudentMailModel studentMail,
    PaymentStanding payments,
    ICorrectionSeals correctionSeals)
{
    public static readonly string[] TeacherTemplates = ["preparation-reminder", "window-open", "teacher-digest", "final-reminder"];
    public static readonly string[] StudentTemplates = ["rejection-notice", "expiry-notice"];
    public static readonly string[] StudioTemplates = ["review-sla-warning", "review-sla-escalation"];

    /// <summary>Templates that attach a workbook from a data folder named in event.file / event.receipt.</summary>
    private const string ReviewSheet = "review-sheet", ReviewReceipt = "review-receipt", CorrectionsReceipt = "corrections-receipt";

    public async Task<MailModel> BuildAsync(string template, string recipient, string recipientName, string dataJson, CancellationToken ct = default)
    {
        var values = new Dictionary<string, object?>
        {
            ["recipient"] = new Dictionary<string, object?> { ["name"] = recipientName, ["email"] = recipient },
            ["campaign"] = CampaignValues(),
            ["event"] = ToValue(JsonDocument.Parse(dataJson).RootElement),
            ["now"] = clock.Format(clock.UtcNow),
        };
        var attachments = new List<MailAttachment>();
        var date = clock.LocalDate(clock.UtcNow).ToString("yyyyMMdd");

        if (TeacherTemplates.Contains(template))
        {
            var students = await progress.StudentsAsync(new StudentFilter(TeacherEmail: recipient), ct);
            var eligible = students.Where(s => s.Status != StudentStatus.NotEligible).ToList();
            var teacherName = eligible.FirstOrDefault()?.TeacherName ?? recipientName;
            values["teacher"] = new Dictionary<string, object?> { ["name"] = teacherName, ["email"] = recipient };
            values["classes"] = ProgressReport.ByClass(eligible).Select(ClassValues).ToList();
            values["totals"] = ClassValues(ClassProgress.Of("(all)", eligible));
            values["to_chase"] = eligible.Where(s => StatusWords.NeedsAction(s.Status)).Select(StudentValues).ToList();
            var fees = await payments.ReadAsync(ct);
            values["payments"] = PaymentValues(fees, eligible);
            attachments.Add(new MailAttachment($"采集进度-{teacherName}-{date}.xlsx", XlsxType,
                teacherWorkbook.Build(teacherName, eligible, notifications.Value.ShowFullNationalId, fees, await correctionSeals.SealAsync(ct))));
            if (notifications.Value.PhotosToTeachers)
                attachments.AddRange(RejectedEvidence(eligible));
        }
        else if (StudentTemplates.Contains(template))
        {
            var submissionId = EventLong(values, "submission_id")
                ?? throw new InvalidOperationException($"a {template} needs event.submission_id");
            var student = await StudentOfSubmissionAsync(submissionId, ct);
            values["student"] = StudentValues(student);
        }
        else if (StudentNotices.Templates.Contains(template))
        {
            // To the student: one submission, as the decision left it (event), with the student read now.
            var submissionId = EventLong(values, "submission_id")
                ?? throw new InvalidOperationException($"a {template} needs event.submission_id");
            attachments.AddRange(await studentMail.AddAsync(template, values, submissionId, ct));
        }
        else if (StudioTemplates.Contains(template))
        {
            var pending = (await progress.StudentsAsync(ct: ct)).Where(s => s.Status == StudentStatus.AwaitingReview).ToList();
            var one = EventLong(values, "submission_id");
            values["submissions"] = pending.Where(s => one is null || s.SubmissionId == one)
                .OrderBy(s => s.LastUploadAt).Select(ReviewValues).ToList();
        }
        else if (template == ReviewReceipt)
        {
            // The receipt the review import wrote into review/processed/ before the message was queued.
            if (values["event"] is Dictionary<string, object?> e && e.GetValueOrDefault("receipt") is string name
                && Path.Combine(paths.ReviewProcessed, Path.GetFileName(name)) is var receipt && File.Exists(receipt))
                attachments.Add(new MailAttachment(Path.GetFileName(name), XlsxType, await File.ReadAllBytesAsync(receipt, ct)));
        }
        else if (template == CorrectionsReceipt)
        {
            // The receipt the corrections stage wrote into corrections-inbox/processed/ before the message was queued.
            if (values["event"] is Dictionary<string, object?> e && e.GetValueOrDefault("receipt") is string name
                && Path.Combine(paths.CorrectionsProcessed, Path.GetFileName(name)) is var receipt && File.Exists(receipt))
                attachments.Add(new MailAttachment(Path.GetFileName(name), XlsxType, await File.ReadAllBytesAsync(receipt, ct)));
        }
        else if (template == ReviewSheet)
        {
            // The studio's review sheet, written by the review stage into review/outbox/ before the message was queued.
            if (values["event"] is Dictionary<string, object?> e && e.GetValueOrDefault("file") is string name
                && Path.Combine(paths.ReviewOutbox, Path.GetFileName(name)) is var sheet && File.Exists(sheet))
                attachments.Add(new MailAttachment(Path.GetFileName(name), XlsxType, await File.ReadAllBytesAsync(sheet, ct)));
        }
        else if (template == "admin-report")
        {
            var students = await progress.StudentsAsync(ct: ct);
            var data = new AdminReportData(students, KeptAside(), await FailedMailsAsync(ct), campaign.Value.ReviewSla,
                await exports.ByCohortAsync(students, ct));
            var eligible = students.Where(s => s.Status != StudentStatus.NotEligible).ToList();
            values["classes"] = ProgressReport.ByClass(eligible).Select(ClassValues).ToList();
            values["totals"] = ClassValues(ClassProgress.Of("(all)", eligible));
            values["kept_aside_count"] = data.KeptAside.Count;
            values["failed_mail_count"] = data.FailedMails.Count;
            // Named, not attached: it holds ID numbers in full and stays on the server (docs/corrections.md).
            values["corrections_file"] = File.Exists(paths.CorrectionsWorkbook) ? paths.CorrectionsWorkbook : "";
            attachments.Add(new MailAttachment($"采集报告-{date}.xlsx", XlsxType, adminWorkbook.Build(data)));
            // The same moment as a page with charts (see docs/report.md); opens offline from the attachment.
            attachments.Add(new MailAttachment(htmlReport.FileName(), "text/html; charset=utf-8", await htmlReport.RenderAsync(ct)));
        }
        return new MailModel(values, attachments);
    }

    /// <summary>
    /// A model of the same shape with made-up students, to render every template once at start (and in
    /// check-config), so a misspelt variable or filter stops the service instead of blanking a field.
    /// </summary>
    public Dictionary<string, object?> Sample(string template)
    {
        var now = clock.UtcNow;
        StudentProgress Make(int i, StudentStatus status) => new(i, $"20200000{i:00}", "440605200101010011", $"样例{i}", "男", "2001-01-01",
            "2020级", "计算机应用技术", "20级计算机1班", "广东理工职业学院", "广东理工职业学院 2020级", "王老师", "teacher@example.edu.cn",
            true, status, i, now.AddHours(-30), status == StudentStatus.Rejected ? now.AddHours(20) : null, "背景颜色不符合要求", "background colour");
        List<StudentProgress> students = [Make(1, StudentStatus.Approved), Make(2, StudentStatus.Rejected), Make(3, StudentStatus.NotSubmitted),
            Make(4, StudentStatus.AwaitingReview), Make(5, StudentStatus.Expired)];
        var values = new Dictionary<string, object?>
        {
            ["recipient"] = new Dictionary<string, object?> { ["name"] = "王老师", ["email"] = "teacher@example.edu.cn" },
            ["campaign"] = CampaignValues(),
            ["event"] = new Dictionary<string, object?>
            {
                ["submission_id"] = 2m, ["date"] = clock.LocalDate(now).ToString("yyyy-MM-dd"),
                // review-sheet
                ["sheet_id"] = 7m, ["file"] = "review-20220506-0900-7.xlsx", ["pending"] = 12m, ["auto_rejected"] = 3m, ["overdue"] = 1m,
                // review-receipt
                ["receipt"] = "20220506-101500_review-20220506-0900-7.receipt.xlsx", ["error"] = "", ["applied"] = 9m, ["attention_count"] = 1m,
                ["attention"] = new List<object?>
                {
                    new Dictionary<string, object?>
                    {
                        ["row"] = "待审核 Pending!6", ["student_number"] = "2020000004", ["name"] = "样例4", ["code"] = "missing-reason",
                        ["message"] = "不通过须至少选一个退回原因", ["message_en"] = "a rejection needs at least one reason",
                    },
                },
                // corrections-receipt
                ["accepted"] = 2m, ["already_received"] = 0m, ["unchanged"] = 1m, ["refused_count"] = 1m,
                ["refused"] = new List<object?>
                {
                    new Dictionary<string, object?>
                    {
                        ["row"] = 7m, ["student_number"] = "2020000002", ["name"] = "样例2", ["field"] = "性别 Gender",
                        ["message"] = "性别“女”与身份证号不符（身份证号第 17 位表示男性）", ["message_en"] = "gender 女 does not match the ID number (its 17th digit says male)",
                    },
                },
            },
            ["now"] = clock.Format(now),
            ["teacher"] = new Dictionary<string, object?> { ["name"] = "王老师", ["email"] = "teacher@example.edu.cn" },
            ["classes"] = ProgressReport.ByClass(students).Select(ClassValues).ToList(),
            ["totals"] = ClassValues(ClassProgress.Of("(all)", students)),
            ["to_chase"] = students.Where(x => StatusWords.NeedsAction(x.Status)).Select(StudentValues).ToList(),
            ["student"] = StudentValues(students[1]),
            ["submissions"] = new List<object?> { ReviewValues(students[3]) },
            ["kept_aside_count"] = 2,
            ["failed_mail_count"] = 0,
            ["payments"] = new Dictionary<string, object?> { ["imported"] = true, ["unpaid"] = 2, ["fee_yuan"] = campaign.Value.FeeYuan },
            ["corrections_file"] = "data/corrections/信息更正汇总-corrections.xlsx",
        };
        if (StudentNotices.Templates.Contains(template)) studentMail.AddSample(template, values);
        return values;
    }

    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private Dictionary<string, object?> CampaignValues()
    {
        var c = campaign.Value;
        return new()
        {
            ["preparation_start"] = clock.ToLocal(c.PreparationStart).ToString("yyyy-MM-dd"),
            ["preparation_end"] = clock.ToLocal(c.PreparationEnd.AddTicks(-1)).ToString("yyyy-MM-dd"),
            ["upload_start"] = clock.Format(c.UploadStart),
            ["upload_end"] = clock.Format(c.UploadEnd),
            // The window's end is exclusive: "until 11 May" is the last day people read.
            ["upload_last_day"] = clock.ToLocal(c.UploadEnd.AddTicks(-1)).ToString("yyyy-MM-dd"),
            ["fee_yuan"] = c.FeeYuan,
            ["review_sla_hours"] = (int)c.ReviewSla.TotalHours,
            ["resubmission_hours"] = (int)c.ResubmissionPeriod.TotalHours,
        };
    }

    /// <summary>The fee for a teacher's students: whether an export was imported yet, and how many have not fully paid.</summary>
    private Dictionary<string, object?> PaymentValues(PaymentBook fees, IEnumerable<StudentProgress> eligible) => new()
    {
        ["imported"] = fees.Imported, ["unpaid"] = fees.Imported ? eligible.Count(s => !fees.IsPaid(s.Id)) : 0, ["fee_yuan"] = campaign.Value.FeeYuan,
    };

    private static Dictionary<string, object?> ClassValues(ClassProgress c) => new()
    {
        ["name"] = c.ClassName, ["teacher"] = c.Teacher, ["total"] = c.Total, ["approved"] = c.Approved,
        ["awaiting_review"] = c.AwaitingReview, ["inspecting"] = c.AwaitingInspection, ["rejected"] = c.Rejected,
        ["missing"] = c.Missing, ["expired"] = c.Expired, ["completion_percent"] = c.CompletionPercent,
    };

    private Dictionary<string, object?> StudentValues(StudentProgress s) => new()
    {
        ["name"] = s.Name, ["student_number"] = s.StudentNumber, ["class"] = s.ClassName, ["teacher"] = s.TeacherName,
        ["status"] = StudentStatusMachine.Bilingual(s.Status), ["reasons"] = s.ReasonsZh ?? "", ["reasons_en"] = s.ReasonsEn ?? "",
        ["deadline"] = s.ResubmitDeadline is { } d ? clock.Format(d) : "",
        ["uploaded_at"] = s.LastUploadAt is { } u ? clock.Format(u) : "",
    };

    private Dictionary<string, object?> ReviewValues(StudentProgress s)
    {
        var due = s.LastUploadAt!.Value + campaign.Value.ReviewSla;
        var values = StudentValues(s);
        values["due_at"] = clock.Format(due);
        values["hours_left"] = Math.Round((due - clock.UtcNow).TotalHours, 1);
        return values;
    }

    private async Task<StudentProgress> StudentOfSubmissionAsync(long submissionId, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var number = await c.ExecuteScalarAsync<string?>(
            "SELECT s.student_number FROM submissions sub JOIN students s ON s.id = sub.student_id WHERE sub.id = @submissionId", new { submissionId });
        if (number is null) throw new InvalidOperationException($"submission {submissionId} is not in the store");
        // One student, not the whole roster: a batch of rejection notices must not read every student each.
        return (await progress.StudentsAsync(new StudentFilter(StudentNumber: number), ct)).Single();
    }

    private List<KeptAsideFile> KeptAside()
    {
        var list = new List<KeptAsideFile>();
        foreach (var (folder, path) in new[] { ("unmatched", paths.Unmatched), ("refused", paths.Refused) })
        {
            if (!Directory.Exists(path)) continue;
            foreach (var reason in Directory.EnumerateFiles(path, "*.reason.txt").Order(StringComparer.Ordinal))
                // The report travels by e-mail: ID numbers in file names and reasons are masked (the full
                // name is in unmatched/ or refused/ on the server, which is where the file is dealt with).
                list.Add(new KeptAsideFile(folder, Logging.LogText.MaskNationalIds(Path.GetFileName(reason)[..^".reason.txt".Length]),
                    Logging.LogText.MaskNationalIds(File.ReadAllText(reason).Trim())));
        }
        return list;
    }

    private async Task<List<FailedMail>> FailedMailsAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<(string Recipient, string Template, string? Error, string CreatedAt)>(
                "SELECT recipient, template, last_error, created_at FROM outbox WHERE state = 'failed' ORDER BY id"))
            .Select(r => new FailedMail(r.Recipient, r.Template, r.Error ?? "", UtcTimestamp.Parse(r.CreatedAt))).ToList();
    }

    private IEnumerable<MailAttachment> RejectedEvidence(IEnumerable<StudentProgress> students)
    {
        foreach (var s in students.Where(s => s.Status == StudentStatus.Rejected && s.SubmissionId is not null))
        {
            var file = Path.Combine(paths.Evidence, $"{s.SubmissionId}.png");
            if (File.Exists(file))
                yield return new MailAttachment($"{s.StudentNumber}_{s.Name}.png", "image/png", File.ReadAllBytes(file));
        }
    }

    private static long? EventLong(Dictionary<string, object?> values, string key) =>
        values["event"] is Dictionary<string, object?> e && e.TryGetValue(key, out var v) && v is decimal d ? (long)d : null;

    /// <summary>JSON to plain dictionaries, lists and values, which Fluid renders directly.</summary>
    public static object? ToValue(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => ToValue(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Select(ToValue).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
