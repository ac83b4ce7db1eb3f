using CollectionWorker.Host.Progress;
using CollectionWorker.Review;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>
/// import-review FILE.xlsx: applies a filled review sheet row by row and prints the receipt's path.
/// Exit 1 when any row needs attention (an error, or a conflict with an earlier decision); the rows
/// that could be applied are applied either way.
/// </summary>
public sealed class ImportReviewVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var file = Path.GetFullPath(commandLine.Arguments[0]);
        if (!File.Exists(file)) throw new InputRejectedException($"{commandLine.Arguments[0]}: no such file.");
        ReviewImportResult result;
        await using var progress = await CommandProgress.StartAsync(host, stderr);
        try
        {
            result = await host.Services.GetRequiredService<ReviewImporter>().ImportAsync(file, $"cli:{Environment.UserName}", ct, progress);
        }
        catch (ReviewSheetException e)
        {
            throw new InputRejectedException(e.Message);
        }
        await progress.DisposeAsync();
        foreach (var o in result.Outcomes.Where(o => ReviewOutcomes.NeedsAttention(o.Kind)))
            await stderr.WriteLineAsync($"{o.Row.Where} {o.Row.StudentNumber} {o.Row.Name}: {o.Code}: {o.Message}");
        await stderr.WriteLineAsync(result.Summary);
        await stdout.WriteLineAsync(result.Receipt);
        // What is still pending goes out again on a new sheet at once (as the running service does after a returned sheet).
        await using var next = await CommandProgress.StartAsync(host, stderr);
        var again = result.Error is null ? await host.Services.GetRequiredService<ReviewSheetExporter>().ExportIfNewAsync(ct, next) : null;
        await next.DisposeAsync(); // draws nothing when no sheet was needed
        if (again is { File: { } nextSheet })
            await stderr.WriteLineAsync($"{again.Pending} photos still await review: new review sheet {nextSheet}{(again.Mailed ? " (e-mailed to the studio)" : "")}");
        return result.NeedsAttention ? Cli.Rejected : Cli.Ok;
    }
}
