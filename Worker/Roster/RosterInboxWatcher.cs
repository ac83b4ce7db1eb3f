using CollectionWorker.Host;
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
    CollectionWorker.Campaign.CampaignClock clock,
    TimeProvider time,
    ILogger<RosterInboxWatcher> logger) : PollingService(time, logger)
{
    private readonly SettledFiles _settled = new(time);

    protected override TimeSpan Period => options.Value.InboxPollEvery;
    protected override string RoundName => "Roster inbox scan";
    protected override Task PollAsync(CancellationToken ct) => ScanOnceAsync(ct);

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
        var stamp = clock.FileStamp(time.GetUtcNow());
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
