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
    private readonly Dictionary<string, (long Size, DateTime Written, DateTimeOffset Since)> _seen = [];

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
        var now = time.GetUtcNow();
        var present = new HashSet<string>();
        foreach (var file in Directory.EnumerateFiles(paths.RosterInbox, "*.xlsx"))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith("~$") || name.StartsWith('.') || name.EndsWith(".errors.xlsx", StringComparison.OrdinalIgnoreCase)) continue;
            present.Add(file);
            var info = new FileInfo(file);
            if (!_seen.TryGetValue(file, out var last) || last.Size != info.Length || last.Written != info.LastWriteTimeUtc)
            {
                _seen[file] = (info.Length, info.LastWriteTimeUtc, now);
                if (options.Value.StableFor > TimeSpan.Zero) continue;
            }
            else if (now - last.Since < options.Value.StableFor) continue;

            if (!CanOpenExclusively(file)) continue;
            await ImportOneAsync(file, ct);
            _seen.Remove(file);
        }
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList()) _seen.Remove(gone);
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

    private static bool CanOpenExclusively(string file)
    {
        try
        {
            using var _ = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
