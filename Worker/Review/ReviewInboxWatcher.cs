using CollectionWorker.Host;
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
    ReviewSheetExporter exporter,
    DataPaths paths,
    Database database,
    WorkClaims claims,
    IOptions<ReviewOptions> options,
    TimeProvider time,
    ILogger<ReviewInboxWatcher> logger) : PollingService(time, logger)
{
    private readonly SettledFiles _settled = new(time);

    protected override TimeSpan Period => options.Value.InboxPollEvery;
    protected override string RoundName => "Review inbox scan";
    protected override Task PollAsync(CancellationToken ct) => ScanOnceAsync(ct);

    public async Task ScanOnceAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(paths.ReviewInbox);
        // Every file, not only *.xlsx: a sheet saved as .ods or .xls must come back with a receipt saying
        // why it was not read, rather than wait in the inbox unnoticed. Excel's ~$ owner files,
        // LibreOffice's .~lock files and Excel's extension-less temporary files while saving are not sheets.
        var candidates = Directory.EnumerateFiles(paths.ReviewInbox).Where(file =>
        {
            var name = Path.GetFileName(file);
            return !name.StartsWith("~$") && !name.StartsWith('.') && Path.GetExtension(name).Length > 0;
        });
        var imported = false;
        foreach (var file in _settled.Take(candidates, options.Value.StableFor))
            imported |= await ImportClaimedAsync(file, ct);
        // Rows left blank or in error go out again on a new sheet right away, with the receipt.
        if (imported) await exporter.ExportIfNewAsync(ct);
    }

    /// <summary>
    /// Imports the sheet; on a store several nodes share, only after claiming it (name, size, time stamp) in
    /// the database, so one node imports it and writes its one receipt. False when another node has it.
    /// </summary>
    private async Task<bool> ImportClaimedAsync(string file, CancellationToken ct)
    {
        if (!database.IsShared)
        {
            await importer.ImportAsync(file, "review-inbox", ct);
            return true;
        }
        var info = new FileInfo(file);
        var item = $"{info.Name}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        if (!await claims.TryClaimAsync(WorkClaims.ReviewImport, item, ct)) return false;
        try
        {
            if (!File.Exists(file)) return false; // imported by another node meanwhile
            await importer.ImportAsync(file, "review-inbox", ct);
            return true;
        }
        finally
        {
            await claims.ReleaseAsync(WorkClaims.ReviewImport, item, CancellationToken.None);
        }
    }
}
