namespace CollectionWorker.Host.Verbs;

/// <summary>check-config: the same verdict the service gives at start, without starting it.</summary>
public static class CheckConfigVerb
{
    public static async Task<int> ReportAsync(IReadOnlyList<string> errors, IReadOnlyList<string> warnings, string? configDirectory, TextWriter stdout, TextWriter stderr)
    {
        var source = configDirectory is null
            ? "no config folder found: embedded defaults"
            : Path.Combine(configDirectory, ConfigDirectory.FileName);
        if (errors.Count == 0)
        {
            foreach (var w in warnings) await stderr.WriteLineAsync($"warning: {w}");
            await stdout.WriteLineAsync($"Configuration OK ({source}, with {AppHost.EnvironmentPrefix}* environment overrides)" +
                                        (warnings.Count > 0 ? $"; {warnings.Count} warning(s) above." : "."));
            return Cli.Ok;
        }
        foreach (var e in errors) await stderr.WriteLineAsync($"configuration error: {e}");
        await stdout.WriteLineAsync($"Configuration rejected: {errors.Count} problem(s) in {source}.");
        return Cli.Rejected;
    }
}
