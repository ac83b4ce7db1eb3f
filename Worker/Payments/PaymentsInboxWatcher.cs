using CollectionWorker.Campaign;
using CollectionWorker.Host;
using CollectionWorker.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Payments;

/// <summary>
/// Imports payment exports dropped into payments-inbox/ while the service runs, exactly as
/// import-payments does, then moves each to processed/ or failed/ (its error workbook beside it).
/// </summary>
public sealed class PaymentsInboxWatcher(
    PaymentImporter importer,
    DataPaths paths,
    IOptions<PaymentsOptions> options,
    CampaignClock clock,
    TimeProvider time,
    ILogger<PaymentsInboxWatcher> logger) : PollingService(time, logger)
{
    private readonly SettledFiles _settled = new(time);

    protected override TimeSpan Period => options.Value.InboxPollEvery;
    protected override string RoundName => "Payments inbox scan";
    protected override Task PollAsync(CancellationToken ct) => ScanOnceAsync(ct);

    public async Task ScanOnceAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(paths.PaymentsInbox);
        foreach (var file in _settled.Take(InboxFiles.Candidates(paths.PaymentsInbox), options.Value.StableFor))
            await ImportOneAsync(file, ct);
    }

    private async Task<PaymentImportResult> ReadOneAsync(string file, CancellationToken ct)
    {
        var extension = Path.GetExtension(file).ToLowerInvariant();
        if (extension is not (".xlsx" or ".csv" or ".txt"))
            return importer.Refuse(file, $"只导入缴费平台导出的 Excel (.xlsx) 或 CSV (.csv) 文件，这个文件是 “{extension}”",
                $"only the payment platform's Excel (.xlsx) or CSV (.csv) export is imported, and this file is '{extension}'");
        try
        {
            return await importer.ImportAsync(file, "payments-inbox", ct);
        }
        catch (Exception e) when (e is not (OperationCanceledException or System.Data.Common.DbException or StoreUnusableException))
        {
            // A file that breaks the reader is refused once, with the reason, rather than retried on every round.
            logger.LogError(e, "Payments export {File} could not be read", Path.GetFileName(file));
            return importer.Refuse(file, $"无法读取该文件（{e.GetType().Name}）：请从缴费平台重新导出",
                $"the file could not be read ({e.GetType().Name}: {e.Message}): export it again from the payment platform");
        }
    }

    private async Task ImportOneAsync(string file, CancellationToken ct)
    {
        var result = await ReadOneAsync(file, ct);
        var target = InboxFiles.MoveAway(file, result.Succeeded, result.ErrorWorkbook, paths.PaymentsProcessed, paths.PaymentsFailed,
            clock.FileStamp(time.GetUtcNow()));
        if (result.Succeeded)
            logger.LogInformation("Payments {File} moved to {Target}: {Summary}", Path.GetFileName(file), target, result.Summary);
        else
            logger.LogWarning("Payments {File} moved to {Target}: {Summary} First: {First}", Path.GetFileName(file), target, result.Summary, result.Problems.FirstOrDefault());
    }
}
