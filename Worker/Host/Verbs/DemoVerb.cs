using CollectionWorker.Host.Demo;
using CollectionWorker.Host.Progress;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>demo: a demo campaign in a fresh data directory, and the command that runs it.</summary>
public sealed class DemoVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        await using var progress = await CommandProgress.StartAsync(host, stderr);
        var result = await ActivatorUtilities.CreateInstance<DemoCampaign>(host.Services).CreateAsync(ct, progress);
        await progress.DisposeAsync();
        await stdout.WriteLineAsync($"Demo campaign created: {result.Students} students imported from {result.Roster}, {result.Photos} photos in the drop folder:");
        foreach (var n in result.Notes) await stdout.WriteLineAsync($"  {n}");
        await stdout.WriteLineAsync($"Its settings (upload window open now, quick timings): {result.ConfigDirectory}");
        await stdout.WriteLineAsync("Run it and watch inspections, the review sheet (review/outbox/) and e-mails (mail/) appear within a minute:");
        await stdout.WriteLineAsync($"  {Launcher()} run --config \"{result.ConfigDirectory}\"");
        return Cli.Ok;
    }

    /// <summary>How this worker was started: the published executable, dotnet with the dll, or dotnet run in a clone.</summary>
    private static string Launcher()
    {
        var process = Environment.ProcessPath ?? "CollectionWorker";
        var dll = Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll");
        var inClone = File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "CollectionWorker.sln"))
                      && !File.Exists(Path.Combine(AppContext.BaseDirectory, "config", ConfigDirectory.FileName));
        if (inClone) return "dotnet run --project Worker --";
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? $"dotnet \"{dll}\"" : $"\"{process}\"";
    }
}
