using Microsoft.Extensions.Options;

namespace CollectionWorker.Payments;

/// <summary>Config section <c>Payments</c>: how the running service picks up exports from payments-inbox/.</summary>
public sealed class PaymentsOptions
{
    public const string Section = "Payments";

    /// <summary>How often payments-inbox/ is looked at.</summary>
    public TimeSpan InboxPollEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An export must be unchanged this long before it is imported (it may still be copying).</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);
}

public sealed class PaymentsOptionsValidator : IValidateOptions<PaymentsOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentsOptions o)
    {
        var errors = new List<string>();
        if (o.InboxPollEvery < TimeSpan.FromMilliseconds(100) || o.InboxPollEvery > TimeSpan.FromHours(1))
            errors.Add($"Payments:InboxPollEvery = {o.InboxPollEvery} is out of range; allowed: 00:00:00.1 to 01:00:00.");
        if (o.StableFor < TimeSpan.Zero || o.StableFor > TimeSpan.FromMinutes(10))
            errors.Add($"Payments:StableFor = {o.StableFor} is out of range; allowed: 00:00:00 to 00:10:00.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
