namespace CollectionWorker.Store;

/// <summary>The campaign's milestones by name (the keys of the <c>milestones</c> table).</summary>
public static class MilestoneNames
{
    public const string PreparationStart = "preparation-start";
    public const string WindowOpen = "window-open";
    public const string DailyDigest = "daily-digest";
    public const string FinalReminder = "final-reminder";
    public const string WindowClose = "window-close";
}

/// <summary>
/// When each milestone is (first) due, as planned from the configuration now: what the progress report
/// draws on its timeline. Implemented by the deadlines stage's plan (<c>Deadlines/CampaignPlan.cs</c>),
/// which owns the milestones, and registered with it.
/// </summary>
public interface ICampaignMilestones
{
    /// <summary>Each milestone's name and the instant it is (first) due.</summary>
    IReadOnlyList<(string Name, DateTimeOffset DueAt)> DueTimes { get; }
}
