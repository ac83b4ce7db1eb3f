using CollectionWorker.Host.Progress;
using CollectionWorker.Review;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>export-review: writes a review sheet into review/outbox/ and prints its path (nothing when nothing awaits review).</summary>
public sealed class ExportReviewVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        await using var progress = await CommandProgress.StartAsync(host, stderr);
        var result = await host.Services.GetRequiredService<ReviewSheetExporter>().ExportAsync("export-review", ct, progress);
        await progress.DisposeAsync();
        if (result.File is null)
        {
            await stderr.WriteLineAsync("Nothing awaits review and no automatic rejection can be overturned: no sheet written.");
            return Cli.Ok;
        }
        await stderr.WriteLineAsync($"Review sheet #{result.SheetId}: {result.Pending} awaiting review, {result.AutoRejected} automatic rejections" +
                                    (result.Mailed ? "; queued for e-mail to the studio." : "."));
        await stdout.WriteLineAsync(result.File);
        return Cli.Ok;
    }
}
