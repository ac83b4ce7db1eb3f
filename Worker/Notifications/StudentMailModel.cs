using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;

namespace CollectionWorker.Notifications;

/// <summary>
/// What the e-mails to a student (student-receipt, student-rejected, student-approved,
/// student-expired) render: the student and the one submission the notice is about, the reasons as
/// the decision gave them, the deadline written out in campaign time, and for a rejection the small
/// annotated photo shown in the body. Only this student's own data: no ID number, no classmates.
/// </summary>
public sealed class StudentMailModel(Database database, DataPaths paths, CampaignClock clock)
{
    /// <summary>Adds the values to <paramref name="values"/> and returns the attachments.</summary>
    public async Task<List<MailAttachment>> AddAsync(string template, Dictionary<string, object?> values, long submissionId, CancellationToken ct)
    {
        SubmissionRow row;
        await using (var c = await database.OpenAsync(ct))
            row = await c.QuerySingleOrDefaultAsync<SubmissionRow>(
                """
                SELECT s.name, s.student_number, s.class_name, s.teacher_name, sub.attempt, sub.received_at, sub.window_stamp,
                       sub.resubmit_deadline, sub.evidence_file, sub.reasons_zh, sub.reasons_en
                FROM submissions sub JOIN students s ON s.id = sub.student_id WHERE sub.id = @submissionId
                """, new { submissionId }) ?? throw new InvalidOperationException($"submission {submissionId} is not in the store");
        var e = values["event"] as Dictionary<string, object?> ?? [];

        // The rejection's own words and deadline as the decision gave them (a later change does not rewrite the notice);
        // an expiry reads the deadline that ran out from the submission.
        var reasonsZh = e.GetValueOrDefault("reasons_zh") as string ?? row.reasons_zh ?? "";
        var reasonsEn = e.GetValueOrDefault("reasons_en") as string ?? row.reasons_en ?? "";
        var deadlineText = e.GetValueOrDefault("deadline") as string ?? row.resubmit_deadline;
        var received = UtcTimestamp.Parse(e.GetValueOrDefault("received_at") as string ?? row.received_at);

        Put(values, row.name, row.student_number, row.class_name, row.teacher_name, (int)row.attempt, received,
            e.GetValueOrDefault("window") as string ?? row.window_stamp, e.GetValueOrDefault("held") is true,
            Reasons(reasonsZh), reasonsEn.Trim().TrimEnd('.'), deadlineText is null ? null : UtcTimestamp.Parse(deadlineText),
            e.GetValueOrDefault("overturned") is true, e.GetValueOrDefault("by_studio") is true, annotated: false);

        var attachments = new List<MailAttachment>();
        if (template == StudentNotices.Rejected && row.evidence_file is { Length: > 0 } evidence
            && await StudentPhoto.FromEvidenceAsync(Path.Combine(paths.Root, evidence), ct) is { } jpeg)
        {
            attachments.Add(new MailAttachment($"批注照片-annotated-{row.student_number}.jpg", "image/jpeg", jpeg, StudentPhoto.ContentId));
            values["annotated"] = true;
        }
        return attachments;
    }

    /// <summary>The same shape with a made-up student, for check-config and previews without a store.</summary>
    public void AddSample(string template, Dictionary<string, object?> values)
    {
        var now = clock.UtcNow;
        // An expiry's deadline has passed; every other notice's is still ahead.
        var deadline = template == StudentNotices.Expired ? now.AddHours(-3) : now.AddHours(45);
        Put(values, "样例2", "2020000002", "20级计算机1班", "王老师", 2, now.AddHours(-3), "in_window", held: false,
            Reasons("背景颜色不符合要求：应为浅蓝、白色或浅灰；头顶距上边缘过近"), "background colour; top of head too close to the top edge", deadline, overturned: false, byStudio: false, annotated: false);
    }

    private void Put(Dictionary<string, object?> values, string name, string number, string className, string teacher, int attempt,
        DateTimeOffset received, string window, bool held, List<object?> reasons, string reasonsEn, DateTimeOffset? deadline,
        bool overturned, bool byStudio, bool annotated)
    {
        var (receivedZh, receivedEn) = clock.Written(received);
        values["student"] = new Dictionary<string, object?>
        {
            ["name"] = name, ["student_number"] = number, ["class"] = className, ["teacher"] = teacher,
        };
        values["photo"] = new Dictionary<string, object?>
        {
            ["attempt"] = attempt, ["received_at"] = receivedZh, ["received_at_en"] = receivedEn, ["received_exact"] = clock.Format(received),
            ["window"] = window, ["late"] = window == "late", ["held"] = held,
        };
        values["reasons"] = reasons;
        values["reasons_en"] = reasonsEn;
        var (deadlineZh, deadlineEn) = deadline is { } d ? clock.Written(d) : ("", "");
        values["deadline"] = new Dictionary<string, object?>
        {
            ["zh"] = deadlineZh, ["en"] = deadlineEn, ["exact"] = deadline is { } x ? clock.Format(x) : "",
        };
        values["overturned"] = overturned;
        values["by_studio"] = byStudio;
        values["annotated"] = annotated;
    }

    /// <summary>
    /// The Chinese reasons one per line, as the inspection and the review join them ("；"). The English
    /// is given whole beside (its own sentences may hold a semicolon, so it is not split).
    /// </summary>
    private static List<object?> Reasons(string zh) =>
        zh.Split('；', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(z => (object?)z).ToList();

    private sealed class SubmissionRow
    {
        public string name { get; set; } = "";
        public string student_number { get; set; } = "";
        public string class_name { get; set; } = "";
        public string teacher_name { get; set; } = "";
        public long attempt { get; set; }
        public string received_at { get; set; } = "";
        public string window_stamp { get; set; } = "";
        public string? resubmit_deadline { get; set; }
        public string? evidence_file { get; set; }
        public string? reasons_zh { get; set; }
        public string? reasons_en { get; set; }
    }
}
