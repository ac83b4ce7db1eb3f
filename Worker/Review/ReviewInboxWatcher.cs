using CollectionWorker.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Review;

/// <summary>
/// Imports filled review sheets dropped into review/inbox/ while the service runs, exactly as
/// import-review does, once each file has stopped changing and nobody holds it open (Excel keeps
/// the file locked while it is open for editing).
/// </summary>
public sealed class ReviewInboxWatcher(
    ReviewImporter importer,
    DataPaths paths,
    IOptions<ReviewOptions> options,
    TimeProvider time,
    ILogger<ReviewInboxWatcher> logger) : BackgroundService
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
                logger.LogError(e, "Review inbox scan failed; will retry");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task ScanOnceAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(paths.ReviewInbox);
        var now = time.GetUtcNow();
        var present = new HashSet<string>();
        // Every file, not only *.xlsx: a sheet saved as .ods or .xls must come back with a receipt saying
        // why it was not read, rather than wait in the inbox unnoticed.
        foreach (var file in Directory.EnumerateFiles(paths.ReviewInbox))
        {
            var name = Path.GetFileName(file);
            // Excel's ~$ owner files, LibreOffice's .~lock files and Excel's extension-less temporary files while saving are not sheets.
            if (name.StartsWith("~$") || name.StartsWith('.') || Path.GetExtension(name).Length == 0) continue;
            present.Add(file);
            var info = new FileInfo(file);
            if (!_seen.TryGetValue(file, out var last) || last.Size != info.Length || last.Written != info.LastWriteTimeUtc)
            {
                _seen[file] = (info.Length, info.LastWriteTimeUtc, now);
                if (options.Value.StableFor > TimeSpan.Zero) continue;
            }
            else if (now - last.Since < options.Value.StableFor) continue;

            if (!CanOpenExclusively(file)) continue;
            await importer.ImportAsync(file, "review-inbox", ct);
            _seen.Remove(file);
        }
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList()) _seen.Remove(gone);
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
