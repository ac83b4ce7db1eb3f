using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Review;

/// <summary>
/// Exports a review sheet at start and every Review:ExportEvery, but only when a submission awaits
/// review that the latest sheet did not list: the studio gets a sheet when there is something new.
/// A plain timer rather than a Quartz job: a missed export needs no catching up (the next one lists
/// everything still pending), so there is nothing to persist.
/// </summary>
public sealed class ReviewExportSchedule(
    ReviewSheetExporter exporter,
    CollectionWorker.Store.Database database,
    IOptions<ReviewOptions> options,
    TimeProvider time,
    ILogger<ReviewExportSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.ExportEvery == TimeSpan.Zero)
        {
            logger.LogInformation("Review:ExportEvery is 00:00:00: review sheets are exported only by export-review");
            return;
        }
        using var timer = new PeriodicTimer(options.Value.ExportEvery, time);
        do
        {
            try
            {
                // Nodes sharing a PostgreSQL store: one writes the sheet; the others then find nothing new to list.
                await using var alone = await CollectionWorker.Store.ClusterLock.TryAcquireAsync(database, "review-export", stoppingToken);
                if (alone is not null) await exporter.ExportIfNewAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Scheduled review sheet export failed; will retry in {Interval}", options.Value.ExportEvery);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
