using CollectionWorker.Store;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Export;

/// <summary>
/// The export the schedule asks for by itself (rows in <c>export_requests</c>, see
/// <see cref="ExportRequestService"/>): at window close, and again once the window is closed and no
/// resubmission deadline is pending any more (the last chance to be approved has passed). The export
/// is idempotent, so running it again only adds what is new.
/// </summary>
public sealed class AutoExport(ApprovedExporter exporter, Database database, TimeProvider time, ILogger<AutoExport> logger)
{
    /// <summary>Runs every pending request (one export serves them all) and closes them; returns how many there were.</summary>
    public async Task<int> RunPendingAsync(CancellationToken ct)
    {
        // Nodes sharing a PostgreSQL store: one runs the export, the others find the requests closed afterwards.
        await using var alone = await ClusterLock.TryAcquireAsync(database, "auto-export", ct);
        if (alone is null) return 0;
        var pending = await ExportRequests.PendingAsync(database, ct);
        if (pending.Count == 0) return 0;
        var outcome = await RunAsync(string.Join("; ", pending.Select(r => r.Reason).Distinct()), ct);
        await ExportRequests.CloseAsync(database, pending.Select(r => r.Id), outcome, time.GetUtcNow(), ct);
        return pending.Count;
    }

    public async Task<string> RunAsync(string reason, CancellationToken ct)
    {
        try
        {
            var result = await exporter.ExportAsync(null, null, ct);
            logger.LogInformation("Automatic export ({Reason}) to {Directory}: {Added} added, {Unchanged} unchanged, {Missing} without an approved photo",
                reason, result.Directory, result.Added, result.Unchanged, result.Missing);
            foreach (var p in result.Problems) logger.LogWarning("Export: {Problem}", p);
            return $"{result.Added} added, {result.Unchanged} unchanged, {result.Missing} missing, {result.Problems.Count} problem(s)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The decision that triggered this is already committed; the admin can run export-approved by hand.
            logger.LogError(e, "Automatic export ({Reason}) failed; run export-approved by hand", reason);
            return $"failed: {e.Message}; run export-approved by hand";
        }
    }
}
