using CollectionWorker.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Roster;

/// <summary>
/// Imports rosters dropped into roster-inbox/ while the service runs, exactly as import-roster does,
/// then moves each to processed/ or failed/ (with its error workbook beside it).
/// </summary>
public sealed class RosterInboxWatcher(
    RosterImporter importer,
    DataPaths paths,
    IOptions<RosterOptions> options,
    TimeProvider time,
    ILogger<RosterInboxWatcher> logger) : BackgroundService
{
    private readonly SettledFiles _settled = new(time);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.InboxPollEvery, time);
        do
        {
            try
            {
                await ScanOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Roster inbox scan failed; will retry");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task ScanOnceAsync(CancellationToken ct)
    {
        var candidates = Directory.EnumerateFiles(paths.RosterInbox, "*.xlsx").Where(file =>
        {
            var name = Path.GetFileName(file);
            return !name.StartsWith("~$") && !name.StartsWith('.') && !name.EndsWith(".errors.xlsx", StringComparison.OrdinalIgnoreCase);
        });
        foreach (var file in _settled.Take(candidates, options.Value.StableFor))
            await ImportOneAsync(file, ct);
    }

    private async Task ImportOneAsync(string file, CancellationToken ct)
    {
        var result = await importer.ImportAsync(file, "roster-inbox", ct);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss");
        var target = Path.Combine(result.Succeeded ? paths.RosterProcessed : paths.RosterFailed, $"{stamp}_{Path.GetFileName(file)}");
        File.Move(file, target, overwrite: false);
        if (result.ErrorWorkbook is { } errors && File.Exists(errors))
            File.Move(errors, Path.Combine(paths.RosterFailed, $"{stamp}_{Path.GetFileName(errors)}"), overwrite: true);
        if (result.Succeeded)
            logger.LogInformation("Roster {File} moved to {Target}: {Summary}", Path.GetFileName(file), target, result.Summary);
        else
            logger.LogWarning("Roster {File} moved to {Target}: {Summary} First: {First}", Path.GetFileName(file), target, result.Summary, result.Problems.FirstOrDefault());
    }
}
