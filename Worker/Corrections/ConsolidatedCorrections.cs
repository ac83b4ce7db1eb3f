using CollectionWorker.Store;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Corrections;

/// <summary>
/// Keeps the admin's consolidated corrections workbook (data/corrections/) up to date: marks applied the
/// corrections a later roster import has made true, and rewrites the workbook whenever a correction was
/// added or changed state (or the file is missing). Written beside and then moved over the old one, so a
/// reader never sees half a file; while the admin holds it open in Excel the next round tries again.
/// </summary>
public sealed class ConsolidatedCorrections(CorrectionsStore store, CorrectionsWorkbook workbook, DataPaths paths, TimeProvider time,
    ILogger<ConsolidatedCorrections> logger)
{
    private string? _written;

    public async Task RefreshAsync(CancellationToken ct = default)
    {
        var applied = await store.MarkAppliedAsync(time.GetUtcNow(), ct);
        if (applied > 0) logger.LogInformation("{Count} correction(s) now applied by the roster", applied);
        var version = await store.VersionAsync(ct);
        var file = paths.CorrectionsWorkbook;
        if (version == _written && File.Exists(file)) return;
        var entries = await store.AllAsync(ct);
        if (entries.Count == 0 && !File.Exists(file)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + ".tmp";
        await File.WriteAllBytesAsync(temp, workbook.Build(entries), ct);
        try
        {
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("The consolidated corrections workbook {File} could not be replaced ({Reason}); trying again next round", file, e.Message);
            File.Delete(temp);
            return;
        }
        _written = version;
        logger.LogInformation("Consolidated corrections workbook {File}: {Pending} pending of {Count}", file,
            entries.Count(x => x.Status == CorrectionStatus.Pending), entries.Count);
    }
}
