using Microsoft.Extensions.Options;

namespace CollectionWorker.Intake;

/// <summary>Config section <c>Intake</c>: how the upload drop folder is watched.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>A file must be unchanged this long before it is taken (it may still be copying).</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Full rescan of the drop folder; the file watcher loses events under bursts, the rescan does not.</summary>
    public TimeSpan RescanEvery { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions o)
    {
        var errors = new List<string>();
        if (o.StableFor < TimeSpan.Zero || o.StableFor > TimeSpan.FromMinutes(10))
            errors.Add($"Intake:StableFor = {o.StableFor} is out of range; allowed: 00:00:00 to 00:10:00 (default 00:00:02).");
        if (o.RescanEvery < TimeSpan.FromSeconds(1) || o.RescanEvery > TimeSpan.FromHours(1))
            errors.Add($"Intake:RescanEvery = {o.RescanEvery} is out of range; allowed: 00:00:01 to 01:00:00 (default 00:00:30).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
