using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Report;

/// <summary>
/// Reads the campaign's state for the report. Student counts per class and cohort are the status
/// machine's (the same <see cref="ProgressReport"/> calls as <c>status</c>); uploads, findings and
/// decisions are counted from the events, for eligible students only.
/// </summary>
public sealed class CampaignReportReader(
    ProgressReport progress,
    ReportQueries queries,
    CampaignClock clock,
    ICampaignMilestones plan,
    IOptions<CampaignOptions> campaign,
    PaymentStanding payments)
{
    public async Task<CampaignReport> ReadAsync(CancellationToken ct = default)
    {
        var now = clock.UtcNow;
        var students = await progress.StudentsAsync(ct: ct);
        var eligible = students.Where(s => s.Status != StudentStatus.NotEligible).ToList();
        var eligibleIds = eligible.Select(s => s.Id).ToHashSet();
        var byId = eligible.ToDictionary(s => s.Id);

        var classes = ProgressReport.ByClass(students)
            .Select(c => new ReportClass(
                eligible.Where(s => s.ClassName == c.ClassName).GroupBy(s => s.Cohort).OrderByDescending(g => g.Count()).First().Key, c))
            .ToList();
        var cohorts = eligible.GroupBy(s => s.Cohort).Select(g => ClassProgress.Of(g.Key, g.ToList())).ToList();

        var uploads = (await queries.UploadsAsync(ct)).Where(u => eligibleIds.Contains(u.StudentId)).ToList();
        var findings = (await queries.FindingsAsync(ct)).Where(f => eligibleIds.Contains(f.StudentId)).ToList();
        var decisions = (await queries.DecisionsAsync(ct)).Where(d => eligibleIds.Contains(d.StudentId)).ToList();

        return new CampaignReport(now, clock.Zone, ClassProgress.Of("合计 Total", eligible), cohorts, classes,
            Timeline(uploads, eligible, now), FindingCounts(findings), StudioReasonCounts(decisions),
            new ReviewTimes(campaign.Value.ReviewSla, ReviewItems(decisions, eligible, byId, now)), await FeesAsync(eligible, ct));
    }

    private async Task<ReportFees?> FeesAsync(List<StudentProgress> eligible, CancellationToken ct)
    {
        var book = await payments.ReadAsync(ct);
        if (!book.Imported) return null;
        var classes = eligible.GroupBy(s => s.ClassName).Select(g => (g.Key, book.Totals(g.ToList()))).ToList();
        return new ReportFees(book.Totals(eligible), classes, book.KeptAside.ToList());
    }

    private UploadTimeline Timeline(List<ReportQueries.Upload> uploads, List<StudentProgress> eligible, DateTimeOffset now)
    {
        // Done by day: today's approved students (the status machine's), by the day their photo was approved.
        var approvedOn = eligible.Where(s => s.Status == StudentStatus.Approved)
            .Select(s => clock.LocalDate(s.DecidedAt ?? s.LastUploadAt ?? now)).ToList();
        var c = campaign.Value;
        var first = clock.LocalDate(c.UploadStart);
        var last = clock.LocalDate(c.UploadEnd.AddTicks(-1));
        if (uploads.Count > 0)
        {
            var a = clock.LocalDate(uploads[0].ReceivedAt);
            var b = clock.LocalDate(uploads[^1].ReceivedAt);
            if (a < first) first = a;
            if (b > last) last = b;
        }
        if (approvedOn.Count > 0 && approvedOn.Max() > last) last = approvedOn.Max();
        var perDay = uploads.GroupBy(u => clock.LocalDate(u.ReceivedAt)).ToDictionary(g => g.Key, g => g.Count());
        var firstUpload = uploads.GroupBy(u => u.StudentId).Select(g => clock.LocalDate(g.Min(u => u.ReceivedAt))).ToList();
        // Every day from the first to the last; but uploads far outside the window (a test campaign, a
        // window moved after the fact) would stretch that over years, so then only the window's days and
        // the days with uploads are listed.
        var range = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays);
        if (last.DayNumber - first.DayNumber >= MaxContiguousDays)
            range = Enumerable.Range(0, clock.LocalDate(c.UploadEnd.AddTicks(-1)).DayNumber - clock.LocalDate(c.UploadStart).DayNumber + 1)
                .Select(clock.LocalDate(c.UploadStart).AddDays).Union(perDay.Keys).Union(approvedOn).Order();
        var days = range.Select(d => new UploadDay(d, perDay.GetValueOrDefault(d), firstUpload.Count(f => f <= d), approvedOn.Count(a => a <= d))).ToList();

        var names = new Dictionary<string, (string Zh, string En)>
        {
            [MilestoneNames.PreparationStart] = ("拍摄开始", "shooting starts"),
            [MilestoneNames.WindowOpen] = ("开始上传", "upload opens"),
            [MilestoneNames.FinalReminder] = ("最后提醒", "final reminder"),
            [MilestoneNames.WindowClose] = ("上传截止", "upload closes"),
        };
        var milestones = plan.DueTimes.Where(m => names.ContainsKey(m.Name))
            .Select(m => new ReportMilestone(names[m.Name].Zh, names[m.Name].En, m.DueAt))
            .Append(new ReportMilestone("现在", "now", now))
            .OrderBy(m => m.At)
            .ToList();
        return new UploadTimeline(days, eligible.Count, milestones, clock.LocalDate(now));
    }

    private static List<ReasonCount> FindingCounts(List<ReportQueries.FindingRow> findings) =>
        findings.GroupBy(f => (f.Code, f.Severity))
            .Select(g =>
            {
                // Messages may carry the measured value; the most frequent wording names the finding best.
                var words = g.GroupBy(f => (f.MessageZh, f.MessageEn)).OrderByDescending(w => w.Count()).First().Key;
                return new ReasonCount(g.Key.Code, words.MessageZh, words.MessageEn, g.Select(f => f.SubmissionId).Distinct().Count(), g.Key.Severity);
            })
            .OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal)
            .ToList();

    /// <summary>The studio's reasons as it chose them from the list (its free-text notes are left out).</summary>
    private static List<ReasonCount> StudioReasonCounts(List<ReportQueries.DecisionRow> decisions)
    {
        var counts = new Dictionary<string, (string En, int Count)>(StringComparer.Ordinal);
        foreach (var d in decisions.Where(d => d.Decision == "reject"))
        {
            var zh = (d.ReasonsZh ?? "").Split('；', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(r => !r.StartsWith("备注：", StringComparison.Ordinal)).ToList();
            var en = (d.ReasonsEn ?? "").Split("; ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(r => !r.StartsWith("note:", StringComparison.Ordinal)).ToList();
            for (var i = 0; i < zh.Count; i++)
            {
                var current = counts.GetValueOrDefault(zh[i]);
                counts[zh[i]] = (current.En ?? (i < en.Count ? en[i] : ""), current.Count + 1);
            }
        }
        return counts.Select(kv => new ReasonCount("", kv.Key, kv.Value.En, kv.Value.Count))
            .OrderByDescending(r => r.Count).ThenBy(r => r.Zh, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Studio decisions on uploads that awaited review (the SLA runs from the upload), and uploads still
    /// awaiting review with their wait so far. Overturning an automatic rejection is not timed.
    /// </summary>
    private static List<ReviewTime> ReviewItems(List<ReportQueries.DecisionRow> decisions, List<StudentProgress> eligible,
        Dictionary<long, StudentProgress> byId, DateTimeOffset now)
    {
        var items = decisions.Where(d => d.PreviousState == SubmissionStates.ToText(SubmissionState.AwaitingReview))
            .Select(d =>
            {
                var s = byId[d.StudentId];
                return new ReviewTime(s.StudentNumber, s.Name, s.ClassName, d.ReceivedAt, d.DecidedAt, Hours(d.DecidedAt - d.ReceivedAt), d.Reviewer);
            })
            .ToList();
        items.AddRange(eligible.Where(s => s.Status == StudentStatus.AwaitingReview && s.LastUploadAt is not null)
            .Select(s => new ReviewTime(s.StudentNumber, s.Name, s.ClassName, s.LastUploadAt!.Value, null, Hours(now - s.LastUploadAt!.Value), "")));
        return items;
    }

    private const int MaxContiguousDays = 62;

    private static double Hours(TimeSpan t) => Math.Round(Math.Max(0, t.TotalHours), 1);
}
