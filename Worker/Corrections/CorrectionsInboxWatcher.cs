using CollectionWorker.Host;
using CollectionWorker.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Corrections;

/// <summary>
/// Takes the teachers' returned rosters dropped into corrections-inbox/ (by the admin, from the teacher's
/// reply) once each file has stopped changing, then brings the consolidated corrections workbook up to date.
/// Every file is taken: one that is not a workbook goes to failed/ with its reason, never left unnoticed.
/// </summary>
public sealed class CorrectionsInboxWatcher(
    CorrectionImporter importer,
    ConsolidatedCorrections consolidated,
    DataPaths paths,
    IOptions<CorrectionsOptions> options,
    TimeProvider time,
    ILogger<CorrectionsInboxWatcher> logger) : PollingService(time, logger)
{
    private readonly SettledFiles _settled = new(time);

    protected override TimeSpan Period => options.Value.InboxPollEvery;
    protected override string RoundName => "Corrections inbox scan";
    protected override Task PollAsync(CancellationToken ct) => ScanOnceAsync(ct);

    public async Task ScanOnceAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(paths.CorrectionsInbox);
        foreach (var file in _settled.Take(InboxFiles.Candidates(paths.CorrectionsInbox), options.Value.StableFor))
            await importer.ImportAsync(file, ct);
        await consolidated.RefreshAsync(ct);
    }
}
