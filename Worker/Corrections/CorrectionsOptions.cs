using Microsoft.Extensions.Options;

namespace CollectionWorker.Corrections;

/// <summary>Config section <c>Corrections</c>: how the running service watches corrections-inbox/.</summary>
public sealed class CorrectionsOptions
{
    public const string Section = "Corrections";

    /// <summary>How often corrections-inbox/ is looked at, and the consolidated workbook brought up to date with the roster.</summary>
    public TimeSpan InboxPollEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A returned workbook must be unchanged this long before it is read (it may still be copying).</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);
}

public sealed class CorrectionsOptionsValidator : IValidateOptions<CorrectionsOptions>
{
    public ValidateOptionsResult Validate(string? name, CorrectionsOptions o)
    {
        const string s = CorrectionsOptions.Section;
        var errors = new List<string>();
        if (o.InboxPollEvery < TimeSpan.FromMilliseconds(100) || o.InboxPollEvery > TimeSpan.FromHours(1))
            errors.Add($"{s}:InboxPollEvery = {o.InboxPollEvery} is out of range; allowed: 00:00:00.1 to 01:00:00 (default 00:00:05).");
        if (o.StableFor < TimeSpan.Zero || o.StableFor > TimeSpan.FromMinutes(10))
            errors.Add($"{s}:StableFor = {o.StableFor} is out of range; allowed: 00:00:00 to 00:10:00 (default 00:00:02).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
