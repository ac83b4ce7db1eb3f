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
    Database database,
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
        // Every file, whatever its extension or case (see InboxFiles): one that is not a roster is refused to failed/.
        var settled = _settled.Take(InboxFiles.Candidates(paths.RosterInbox), options.Value.StableFor).ToList();
        if (settled.Count == 0) return;
        // Nodes sharing a PostgreSQL store: one imports the rosters; a file it moved away is gone for the others.
        await using var alone = await ClusterLock.TryAcquireAsync(database, "roster-inbox", ct);
        if (alone is null) return;
        foreach (var file in settled.Where(File.Exists))
            await ImportOneAsync(file, ct);
    }

    private async Task<RosterImportResult> ReadOneAsync(string file, CancellationToken ct)
    {
        var extension = Path.GetExtension(file).ToLowerInvariant();
        if (extension != ".xlsx")
            return extension switch
            {
                ".xlsm" => importer.Refuse(file, "这是启用宏的工作簿 (.xlsm)：请另存为“Excel 工作簿 (.xlsx)”后再放入 roster-inbox/",
                    "this is a macro-enabled workbook (.xlsm): save it as an Excel workbook (.xlsx) and drop that into roster-inbox/"),
                ".xls" => importer.Refuse(file, "这是旧版 Excel 97-2003 工作簿 (.xls)：请另存为“Excel 工作簿 (.xlsx)”后再放入 roster-inbox/",
                    "this is an old Excel 97-2003 workbook (.xls): save it as an Excel workbook (.xlsx) and drop that into roster-inbox/"),
                _ => importer.Refuse(file, $"只导入 Excel 工作簿 (.xlsx)，这个文件是 “{extension}”：请另存为 .xlsx 后再放入 roster-inbox/",
                    $"only Excel workbooks (.xlsx) are imported, and this file is '{extension}': save it as .xlsx and drop that into roster-inbox/"),
            };
        try
        {
            return await importer.ImportAsync(file, "roster-inbox", ct);
        }
        catch (Exception e) when (e is not (OperationCanceledException or System.Data.Common.DbException or StoreUnusableException))
        {
            // A file that breaks the reader is refused once, with the reason, rather than retried on every round.
            logger.LogError(e, "Roster {File} could not be read", Path.GetFileName(file));
            return importer.Refuse(file, $"无法读取该工作簿（{e.GetType().Name}）：请在 Excel 中打开并重新保存为 .xlsx",
                $"the workbook could not be read ({e.GetType().Name}: {e.Message}): open it in Excel and save it again as .xlsx");
        }
    }

    private async Task ImportOneAsync(string file, CancellationToken ct)
    {
        var result = await ReadOneAsync(file, ct);
        var target = InboxFiles.MoveAway(file, result.Succeeded, result.ErrorWorkbook, paths.RosterProcessed, paths.RosterFailed,
            clock.FileStamp(time.GetUtcNow()));
        if (result.Succeeded)
            logger.LogInformation("Roster {File} moved to {Target}: {Summary}", Path.GetFileName(file), target, result.Summary);
        else
            logger.LogWarning("Roster {File} moved to {Target}: {Summary} First: {First}", Path.GetFileName(file), target, result.Summary, result.Problems.FirstOrDefault());
    }
}
