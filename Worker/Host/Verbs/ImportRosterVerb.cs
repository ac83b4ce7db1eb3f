using CollectionWorker.Host.Progress;
using CollectionWorker.Roster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>import-roster FILE.xlsx: all or nothing; on problems, each with row and column, and an error workbook.</summary>
public sealed class ImportRosterVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var file = commandLine.Arguments[0];
        if (!File.Exists(file)) throw new InputRejectedException($"{file}: no such file.");
        var importer = host.Services.GetRequiredService<RosterImporter>();
        await using var progress = await CommandProgress.StartAsync(host, stderr);
        var timed = RosterStepTimings.Around(progress, progress.Messages);
        var result = await importer.ImportAsync(file, $"cli:{Environment.UserName}", ct, timed);
        RosterStepTimings.Finish(timed);
        await progress.DisposeAsync();
        if (result.Succeeded)
        {
            await stdout.WriteLineAsync(result.Summary);
            return Cli.Ok;
        }
        foreach (var p in result.Problems) await stderr.WriteLineAsync($"{file}: {p}");
        await stderr.WriteLineAsync(result.Summary);
        if (result.ErrorWorkbook is not null)
            await stdout.WriteLineAsync(result.ErrorWorkbook);
        return Cli.Rejected;
    }
}
