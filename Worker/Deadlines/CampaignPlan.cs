using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Microsoft.Extensions.Options;
using Quartz;

namespace CollectionWorker.Deadlines;

/// <summary>One campaign milestone: a one-shot instant, or (the digest) a daily time from a first instant on.</summary>
public sealed record Milestone(string Name, string Template, DateTimeOffset DueAt, string? DailyCron)
{
    public bool Daily => DailyCron is not null;

    /// <summary>What the trigger is built from; when config changes this, the milestone is re-planned.</summary>
    public string Plan(TimeZoneInfo zone) => Daily ? $"daily {DailyCron} {zone.Id} from {DueAt.UtcDateTime:O}" : $"once {DueAt.UtcDateTime:O}";
}

/// <summary>
/// The campaign's milestones as config sets them (Asia/Shanghai), and the Quartz triggers that fire
/// them. Pure: the same config always gives the same plan, whatever the server's time zone.
/// </summary>
public sealed class CampaignPlan : ICampaignMilestones
{
    public const string PreparationStart = MilestoneNames.PreparationStart;
    public const string WindowOpen = MilestoneNames.WindowOpen;
    public const string DailyDigest = MilestoneNames.DailyDigest;
    public const string FinalReminder = MilestoneNames.FinalReminder;
    public const string WindowClose = MilestoneNames.WindowClose;

    public CampaignPlan(IOptions<CampaignOptions> campaign, IOptions<DeadlinesOptions> deadlines, IOptions<RecipientsOptions> notifications,
        CampaignClock clock)
    {
        _time = clock.Time;
        var c = campaign.Value;
        Zone = clock.Zone;
        var digest = notifications.Value.DigestTimeOfDay;
        Milestones =
        [
            new(PreparationStart, "preparation-reminder", c.PreparationStart, null),
            new(WindowOpen, "window-open", c.UploadStart, null),
            new(DailyDigest, "teacher-digest", FirstDailyAtOrAfter(c.UploadStart, digest, Zone), $"0 {digest.Minute} {digest.Hour} * * ?"),
            new(FinalReminder, "final-reminder", c.UploadEnd - deadlines.Value.FinalReminderBefore, null),
            new(WindowClose, "admin-report", c.UploadEnd, null),
        ];
    }

    // Triggers are built on the app's clock: a cron trigger computes its first firing from "now".
    private readonly TimeProvider _time;

    public TimeZoneInfo Zone { get; }
    public IReadOnlyList<Milestone> Milestones { get; }

    IReadOnlyList<(string Name, DateTimeOffset DueAt)> ICampaignMilestones.DueTimes => Milestones.Select(m => (m.Name, m.DueAt)).ToList();

    public Milestone this[string name] => Milestones.Single(m => m.Name == name);

    /// <summary>
    /// The trigger for a milestone. Misfire policy, on purpose: a one-shot fires at once when it was
    /// missed (the service was down at its instant); the daily digest fires once now and then keeps
    /// its daily time, so days missed while down produce one digest, not one per day.
    /// </summary>
    public ITrigger BuildTrigger(Milestone m)
    {
        var builder = TriggerBuilder.Create(_time)
            .WithIdentity(m.Name, DeadlineScheduling.MilestoneGroup)
            .ForJob(DeadlineScheduling.MilestoneJobKey)
            .UsingJobData(MilestoneJob.MilestoneKey, m.Name)
            .StartAt(m.DueAt);
        return m.Daily
            ? builder.WithSchedule(CronScheduleBuilder.Create(m.DailyCron!).InTimeZone(Zone)
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)).Build()
            : builder.WithSchedule(SimpleScheduleBuilder.Create().WithRepeatCount(0)
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build();
    }

    /// <summary>The next instant the milestone's trigger fires strictly after <paramref name="after"/>, if any.</summary>
    public DateTimeOffset? NextFireAfter(Milestone m, DateTimeOffset after)
    {
        if (!m.Daily) return m.DueAt > after ? m.DueAt : null;
        if (after < m.DueAt) return m.DueAt;
        return BuildTrigger(m).GetFireTimeAfter(after);
    }

    /// <summary>The first instant at local time <paramref name="time"/> in <paramref name="zone"/> not before <paramref name="from"/>.</summary>
    public static DateTimeOffset FirstDailyAtOrAfter(DateTimeOffset from, TimeOnly time, TimeZoneInfo zone)
    {
        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        for (var i = 0; ; i++)
        {
            var candidate = AtLocal(localDate.AddDays(i), time, zone);
            if (candidate >= from) return candidate;
        }
    }

    /// <summary>The instant a wall-clock time on a date in the zone stands for.</summary>
    public static DateTimeOffset AtLocal(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var wall = date.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }
}
