using Microsoft.Extensions.Options;

namespace CollectionWorker.Roster;

/// <summary>Config section <c>Roster</c>: how the running service picks up rosters from roster-inbox/.</summary>
public sealed class RosterOptions
{
    public const string Section = "Roster";

    /// <summary>How often roster-inbox/ is looked at.</summary>
    public TimeSpan InboxPollEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A roster file must be unchanged this long before it is imported (it may still be copying).</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);
}

public sealed class RosterOptionsValidator : IValidateOptions<RosterOptions>
{
    public ValidateOptionsResult Validate(string? name, RosterOptions o)
    {
        var errors = new List<string>();
        if (o.InboxPollEvery < TimeSpan.FromMilliseconds(100) || o.InboxPollEvery > TimeSpan.FromHours(1))
            errors.Add($"Roster:InboxPollEvery = {o.InboxPollEvery} is out of range; allowed: 00:00:00.1 to 01:00:00.");
        if (o.StableFor < TimeSpan.Zero || o.StableFor > TimeSpan.FromMinutes(10))
            errors.Add($"Roster:StableFor = {o.StableFor} is out of range; allowed: 00:00:00 to 00:10:00.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
