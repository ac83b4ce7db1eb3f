using CollectionWorker.Store;

namespace CollectionWorker.Report;

/// <summary>
/// Everything the HTML progress report shows, read at one moment. Every count of students comes from
/// the status machine (through <see cref="ProgressReport"/>); the rest are events (uploads, findings,
/// decisions) counted as they happened. Fees is null until a payment export is imported.
/// </summary>
public sealed record CampaignReport(
    DateTimeOffset GeneratedAt,
    TimeZoneInfo Zone,
    ClassProgress Totals,
    IReadOnlyList<ClassProgress> Cohorts,
    IReadOnlyList<ReportClass> Classes,
    UploadTimeline Uploads,
    IReadOnlyList<ReasonCount> Findings,
    IReadOnlyList<ReasonCount> StudioReasons,
    ReviewTimes Reviews,
    ReportFees? Fees = null);

/// <summary>A class's counts (exactly as <c>status</c> shows them) and the cohort most of its students belong to.</summary>
public sealed record ReportClass(string Cohort, ClassProgress Progress);

/// <summary>Uploads per campaign day, how many eligible students had uploaded by the end of each day, and the milestones.</summary>
/// <param name="Today">the campaign day of the report: later days of the window have no totals yet</param>
public sealed record UploadTimeline(IReadOnlyList<UploadDay> Days, int Eligible, IReadOnlyList<ReportMilestone> Milestones, DateOnly Today);

/// <param name="ApprovedByEndOfDay">students approved now (the status machine) whose approval came by the end of that day</param>
public sealed record UploadDay(DateOnly Day, int Uploads, int StudentsUploadedByEndOfDay, int ApprovedByEndOfDay);

public sealed record ReportMilestone(string NameZh, string NameEn, DateTimeOffset At);

/// <summary>How often one finding or studio reason occurred (submissions it was raised on).</summary>
public sealed record ReasonCount(string Code, string Zh, string En, int Count, string Severity = "");

/// <summary>The studio's review times against the SLA: each decision, and the uploads still waiting.</summary>
public sealed record ReviewTimes(TimeSpan Sla, IReadOnlyList<ReviewTime> Items)
{
    public IEnumerable<ReviewTime> Overdue => Items.Where(i => i.Hours > Sla.TotalHours).OrderByDescending(i => i.Hours);
}

/// <summary>One upload's time with the studio: decided (hours from upload to decision) or still waiting (hours so far).</summary>
public sealed record ReviewTime(string StudentNumber, string Name, string ClassName, DateTimeOffset UploadedAt, DateTimeOffset? DecidedAt,
    double Hours, string Reviewer)
{
    public bool Waiting => DecidedAt is null;
}
