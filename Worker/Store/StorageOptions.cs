using Microsoft.Extensions.Options;

namespace CollectionWorker.Store;

/// <summary>Where the data directory is (config section <c>Storage</c>, or <c>--data</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string DataDirectory { get; set; } = "./data";

    /// <summary>File name of the SQLite store inside the data directory (or an absolute path).</summary>
    public string Database { get; set; } = "collection.db";

    /// <summary>How often the running service checks that its store file is still the one it opened (not deleted or replaced).</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.DataDirectory))
            errors.Add("Storage:DataDirectory is empty; give a folder path (default ./data).");
        else if (o.DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            errors.Add($"Storage:DataDirectory = '{o.DataDirectory}' contains characters not allowed in a path.");
        if (string.IsNullOrWhiteSpace(o.Database))
            errors.Add("Storage:Database is empty; give a file name (default collection.db).");
        if (o.CheckEvery < TimeSpan.FromMilliseconds(100) || o.CheckEvery > TimeSpan.FromMinutes(10))
            errors.Add($"Storage:CheckEvery = {o.CheckEvery} is out of range; allowed: 00:00:00.1 to 00:10:00.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
