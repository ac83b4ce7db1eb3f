using Microsoft.Extensions.Options;

namespace CollectionWorker.Store;

/// <summary>Where the data directory is (config section <c>Storage</c>, or <c>--data</c>).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string DataDirectory { get; set; } = "./data";

    /// <summary>Sqlite (default: one node, a file in the data directory) or PostgreSql (several nodes share one database; docs/postgresql.md).</summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>With PostgreSql: the Npgsql connection string (Host=…;Database=…;Username=…;Password=…).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// With PostgreSql: how long a node's claim on a file or row lasts. A node killed mid-work leaves its
    /// claim; another node takes the work over once it has expired. Longer than the slowest single item.
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>This node's name in claims and in Quartz's cluster (empty: host name and process id).</summary>
    public string NodeName { get; set; } = "";

    /// <summary>File name of the SQLite store inside the data directory (or an absolute path).</summary>
    public string Database { get; set; } = "collection.db";

    /// <summary>How often the running service checks that its store file is still the one it opened (not deleted or replaced).</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Who may read what the worker writes into the data directory (Linux/macOS); see docs/security.md.</summary>
    public CollectionWorker.Security.DataFileMode FileMode { get; set; } = CollectionWorker.Security.DataFileMode.Private;
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
        if (!Enum.IsDefined(o.Provider))
            errors.Add($"Storage:Provider = {o.Provider} is not a provider; allowed: Sqlite (default), PostgreSql.");
        if (o.Provider == StoreProvider.PostgreSql)
        {
            if (string.IsNullOrWhiteSpace(o.ConnectionString))
                errors.Add("Storage:ConnectionString is empty but Storage:Provider = PostgreSql; give e.g. 'Host=db.example.edu.cn;Database=collection;Username=collection;Password=…' (docs/postgresql.md).");
            else if (PostgresConnectionString.Problem(o.ConnectionString) is { } problem)
                errors.Add($"Storage:ConnectionString is not a usable PostgreSQL connection string: {problem}.");
        }
        if (o.ClaimTimeout < TimeSpan.FromSeconds(1) || o.ClaimTimeout > TimeSpan.FromHours(1))
            errors.Add($"Storage:ClaimTimeout = {o.ClaimTimeout} is out of range; allowed: 00:00:01 to 01:00:00.");
        if (!Enum.IsDefined(o.FileMode))
            errors.Add($"Storage:FileMode = {o.FileMode} is not a mode; allowed: Private (default; folders 0700, files 0600), GroupRead (0750/0640), GroupReadWrite (0770/0660).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
