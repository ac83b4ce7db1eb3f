using Microsoft.Extensions.Options;

namespace CollectionWorker.Intake;

/// <summary>What intake does with an upload that arrives before the upload window opens.</summary>
public enum EarlyUploadPolicy
{
    /// <summary>Recorded as early and held (state <c>held</c>) until the window opens, then inspected.</summary>
    Hold,
    /// <summary>Recorded as early and inspected at once.</summary>
    Accept,
    /// <summary>Kept aside in refused/ with the reason.</summary>
    Refuse,
}

/// <summary>What intake does with an upload that arrives after the upload window closed.</summary>
public enum LateUploadPolicy
{
    /// <summary>Refused, unless the student is inside a resubmission period after a rejection (which may run past the window).</summary>
    RefuseUnlessResubmitting,
    /// <summary>Recorded, marked late, and inspected.</summary>
    Accept,
}

/// <summary>Config section <c>Intake</c>: how the upload drop folder is watched and its files taken in.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>A file must be unchanged this long before it is taken (it may still be copying).</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Full rescan of the drop folder; the file watcher loses events under bursts, the rescan does not.</summary>
    public TimeSpan RescanEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether sub-folders of the drop folder (e.g. one per class) are taken in too.</summary>
    public bool Recursive { get; set; } = true;

    /// <summary>
    /// File-name patterns, tried in order; null means the defaults. (A list default would be appended
    /// to, not replaced, by the configuration binder.)
    /// </summary>
    public List<string>? FileNamePatterns { get; set; }

    public IReadOnlyList<string> Patterns => FileNamePatterns ?? DefaultPatterns;

    public static IReadOnlyList<string> DefaultPatterns { get; } = ["{学号}.jpg", "{身份证号}.jpg", "{学号}_{姓名}.jpg", "{姓名}_{学号}.jpg"];

    /// <summary>Accepted extensions (case-insensitive); a pattern's own extension stands for any of them. Null means the defaults.</summary>
    public List<string>? Extensions { get; set; }

    public IReadOnlyList<string> AcceptedExtensions => Extensions ?? DefaultExtensions;

    public static IReadOnlyList<string> DefaultExtensions { get; } = [".jpg", ".jpeg"];

    /// <summary>File names left alone while they are in the drop folder (partial downloads, editor locks, hidden files). Null means the defaults.</summary>
    public List<string>? IgnorePatterns { get; set; }

    public IReadOnlyList<string> Ignored => IgnorePatterns ?? DefaultIgnorePatterns;

    public static IReadOnlyList<string> DefaultIgnorePatterns { get; } = ["*.tmp", "*.part", "*.crdownload", "~$*", ".*"];

    /// <summary>Larger files are kept aside in refused/ (a studio photo is 20–40 KB).</summary>
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    public EarlyUploadPolicy EarlyPolicy { get; set; } = EarlyUploadPolicy.Hold;

    public LateUploadPolicy LatePolicy { get; set; } = LateUploadPolicy.RefuseUnlessResubmitting;

    /// <summary>A file that cannot be opened exclusively (locked, unreadable) is tried again after this long.</summary>
    public TimeSpan RetryLockedEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this many failed attempts a locked or unreadable file is reported (logged as an error); it is still retried and never deleted.</summary>
    public int ReportLockedAfter { get; set; } = 5;

    /// <summary>Files read, hashed and archived at the same time (the store records them one at a time).</summary>
    public int MaxParallel { get; set; } = 4;

    /// <summary>
    /// Opening one file may take at most this long (a hung network share, a device); after it the file
    /// is passed over for <see cref="StalledRetryEvery"/> and the others go on.
    /// </summary>
    public TimeSpan OpenTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A file whose opening timed out is tried again after this long.</summary>
    public TimeSpan StalledRetryEvery { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    public ValidateOptionsResult Validate(string? name, IntakeOptions o)
    {
        var errors = new List<string>();
        const string s = IntakeOptions.Section;
        if (o.StableFor < TimeSpan.Zero || o.StableFor > TimeSpan.FromMinutes(10))
            errors.Add($"{s}:StableFor = {o.StableFor} is out of range; allowed: 00:00:00 to 00:10:00 (default 00:00:02).");
        if (o.RescanEvery < TimeSpan.FromSeconds(1) || o.RescanEvery > TimeSpan.FromHours(1))
            errors.Add($"{s}:RescanEvery = {o.RescanEvery} is out of range; allowed: 00:00:01 to 01:00:00 (default 00:00:30).");

        if (o.FileNamePatterns is { Count: 0 })
            errors.Add($"{s}:FileNamePatterns is empty; list at least one pattern such as '{{学号}}.jpg', or remove the key to use the defaults.");
        for (var i = 0; i < (o.FileNamePatterns?.Count ?? 0); i++)
        {
            var p = o.FileNamePatterns![i];
            if (FileNamePattern.TryParse(p, out _, out var problem)) continue;
            errors.Add($"{s}:FileNamePatterns:{i} = '{p}' is not a file-name pattern: {problem}. Allowed: text with the placeholders " +
                       "{学号} (or {StudentNumber}), {身份证号} ({NationalId}), {姓名} ({Name}), ending in an extension, e.g. '{学号}_{姓名}.jpg'.");
        }

        if (o.Extensions is { Count: 0 })
            errors.Add($"{s}:Extensions is empty; list at least one extension such as '.jpg', or remove the key to use the defaults (.jpg, .jpeg).");
        for (var i = 0; i < (o.Extensions?.Count ?? 0); i++)
        {
            var e = o.Extensions![i];
            if (e.Length < 2 || e[0] != '.' || e.IndexOfAny(['.', '/', '\\', '*', '?'], 1) >= 0 || e.Any(char.IsWhiteSpace))
                errors.Add($"{s}:Extensions:{i} = '{e}' is not an extension; allowed: a dot and letters, e.g. '.jpg'.");
        }

        for (var i = 0; i < (o.IgnorePatterns?.Count ?? 0); i++)
        {
            var p = o.IgnorePatterns![i];
            if (string.IsNullOrWhiteSpace(p) || p.IndexOfAny(['/', '\\']) >= 0)
                errors.Add($"{s}:IgnorePatterns:{i} = '{p}' is not a file-name wildcard; allowed: a name with * and ?, no folder, e.g. '*.tmp'.");
        }

        if (o.MaxFileBytes < 1024 || o.MaxFileBytes > 1024L * 1024 * 1024)
            errors.Add($"{s}:MaxFileBytes = {o.MaxFileBytes} is out of range; allowed: 1024 to 1073741824 bytes (default 10485760 = 10 MB).");
        if (!Enum.IsDefined(o.EarlyPolicy))
            errors.Add($"{s}:EarlyPolicy = {o.EarlyPolicy} is not a policy; allowed: Hold (default), Accept, Refuse.");
        if (!Enum.IsDefined(o.LatePolicy))
            errors.Add($"{s}:LatePolicy = {o.LatePolicy} is not a policy; allowed: RefuseUnlessResubmitting (default), Accept.");
        if (o.RetryLockedEvery < TimeSpan.FromMilliseconds(100) || o.RetryLockedEvery > TimeSpan.FromHours(1))
            errors.Add($"{s}:RetryLockedEvery = {o.RetryLockedEvery} is out of range; allowed: 00:00:00.1 to 01:00:00 (default 00:00:05).");
        if (o.ReportLockedAfter < 1 || o.ReportLockedAfter > 1000)
            errors.Add($"{s}:ReportLockedAfter = {o.ReportLockedAfter} is out of range; allowed: 1 to 1000 attempts (default 5).");
        if (o.MaxParallel < 1 || o.MaxParallel > 64)
            errors.Add($"{s}:MaxParallel = {o.MaxParallel} is out of range; allowed: 1 to 64 (default 4).");
        if (o.OpenTimeout < TimeSpan.FromMilliseconds(100) || o.OpenTimeout > TimeSpan.FromMinutes(5))
            errors.Add($"{s}:OpenTimeout = {o.OpenTimeout} is out of range; allowed: 00:00:00.1 to 00:05:00 (default 00:00:10).");
        if (o.StalledRetryEvery < TimeSpan.FromSeconds(1) || o.StalledRetryEvery > TimeSpan.FromDays(1))
            errors.Add($"{s}:StalledRetryEvery = {o.StalledRetryEvery} is out of range; allowed: 00:00:01 to 1.00:00:00 (default 00:10:00).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
