using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Export;

/// <summary>
/// The export the schedule runs by itself: at window close, and again once the window is closed and
/// no resubmission deadline is pending any more (the last chance to be approved has passed). The export
/// is idempotent, so running it again only adds what is new.
/// </summary>
public sealed class AutoExport(
    ApprovedExporter exporter,
    Database database,
    IOptions<CampaignOptions> campaign,
    TimeProvider time,
    ILogger<AutoExport> logger)
{
    public async Task RunAsync(string reason, CancellationToken ct)
    {
        try
        {
            var result = await exporter.ExportAsync(null, null, ct);
            logger.LogInformation("Automatic export ({Reason}) to {Directory}: {Added} added, {Unchanged} unchanged, {Missing} without an approved photo",
                reason, result.Directory, result.Added, result.Unchanged, result.Missing);
            foreach (var p in result.Problems) logger.LogWarning("Export: {Problem}", p);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The decision that triggered this is already committed; the admin can run export-approved by hand.
            logger.LogError(e, "Automatic export ({Reason}) failed; run export-approved by hand", reason);
        }
    }

    /// <summary>After a resubmission deadline closes: export if it was the last one and the window is over.</summary>
    public async Task RunIfLastDeadlineAsync(CancellationToken ct)
    {
        if (time.GetUtcNow() < campaign.Value.UploadEnd) return;
        await using var c = await database.OpenAsync(ct);
        var pending = await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM deadlines WHERE kind = 'resubmission' AND state = 'pending')");
        if (!pending) await RunAsync("last resubmission deadline passed", ct);
    }
}
