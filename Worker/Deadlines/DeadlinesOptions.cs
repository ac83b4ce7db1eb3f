using Microsoft.Extensions.Options;

namespace CollectionWorker.Deadlines;

/// <summary>Config section <c>Deadlines</c>: when SLA warnings and the final reminder go, and how the planner runs.</summary>
public sealed class DeadlinesOptions
{
    public const string Section = "Deadlines";

    /// <summary>After upload, when the studio is warned that a review is getting late (before Campaign:ReviewSla escalates).</summary>
    public TimeSpan ReviewSlaWarningAfter { get; set; } = TimeSpan.FromHours(40);

    /// <summary>How long before Campaign:UploadEnd the final reminder goes to teachers.</summary>
    public TimeSpan FinalReminderBefore { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the planner looks for new or cancelled deadlines in the store (it also runs at start).</summary>
    public TimeSpan PlanEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>File of the Quartz job store, in the data directory unless absolute.</summary>
    public string SchedulerDatabase { get; set; } = "scheduler.db";
}

public sealed class DeadlinesOptionsValidator(IOptions<Campaign.CampaignOptions> campaign) : IValidateOptions<DeadlinesOptions>
{
    public ValidateOptionsResult Validate(string? name, DeadlinesOptions o)
    {
        var errors = new List<string>();
        const string s = DeadlinesOptions.Section;
        Campaign.CampaignOptions c;
        try
        {
            c = campaign.Value;
        }
        catch (OptionsValidationException)
        {
            // The Campaign section reports its own errors; comparing against bad campaign values would only add noise.
            c = new Campaign.CampaignOptions();
        }
        var sla = c.ReviewSla;
        if (o.ReviewSlaWarningAfter <= TimeSpan.Zero || o.ReviewSlaWarningAfter >= sla)
            errors.Add($"{s}:ReviewSlaWarningAfter = {o.ReviewSlaWarningAfter} is out of range; allowed: more than 0 and less than Campaign:ReviewSla ({sla}) (default 1.16:00:00 = 40 h).");
        var window = c.UploadEnd - c.UploadStart;
        if (o.FinalReminderBefore <= TimeSpan.Zero || (window > TimeSpan.Zero && o.FinalReminderBefore >= window))
            errors.Add($"{s}:FinalReminderBefore = {o.FinalReminderBefore} is out of range; allowed: more than 0 and less than the upload window ({window}) (default 1.00:00:00 = 24 h).");
        if (o.PlanEvery < TimeSpan.FromSeconds(1) || o.PlanEvery > TimeSpan.FromHours(1))
            errors.Add($"{s}:PlanEvery = {o.PlanEvery} is out of range; allowed: 00:00:01 to 01:00:00 (default 00:01:00).");
        if (string.IsNullOrWhiteSpace(o.SchedulerDatabase))
            errors.Add($"{s}:SchedulerDatabase is empty; give a file name (default scheduler.db).");
        else if (o.SchedulerDatabase.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            errors.Add($"{s}:SchedulerDatabase = '{o.SchedulerDatabase}' contains characters not allowed in a path.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
