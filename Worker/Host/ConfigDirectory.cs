namespace CollectionWorker.Host;

/// <summary>
/// Finds the folder holding appsettings.json: <c>--config DIR</c>, else config/ beside the
/// executable (published), else config/ beside CollectionWorker.sln (development).
/// </summary>
public static class ConfigDirectory
{
    public const string FileName = "appsettings.json";

    /// <summary>The folder, or null when no config folder exists (embedded defaults apply).</summary>
    /// <exception cref="ConfigurationRejectedException">--config names a folder without appsettings.json</exception>
    public static string? Resolve(string? explicitDirectory)
    {
        if (explicitDirectory is not null)
        {
            var full = Path.GetFullPath(explicitDirectory);
            if (!File.Exists(Path.Combine(full, FileName)))
                throw new ConfigurationRejectedException([$"--config {explicitDirectory}: there is no {FileName} in {full}."]);
            return full;
        }

        var beside = Path.Combine(AppContext.BaseDirectory, "config");
        if (File.Exists(Path.Combine(beside, FileName))) return beside;

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CollectionWorker.sln"))
                    && File.Exists(Path.Combine(dir.FullName, "config", FileName)))
                    return Path.Combine(dir.FullName, "config");
            }
        }
        return null;
    }
}

/// <summary>The configuration was rejected: each message names the key, the value and what is allowed.</summary>
public sealed class ConfigurationRejectedException(IReadOnlyList<string> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
