using System.Data.Common;
using System.Text.Json;
using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Review;

/// <summary>A sheet written to review/outbox/ (File is null when nothing awaited review).</summary>
public sealed record ReviewExportResult(string? File, long? SheetId, int Pending, int AutoRejected, bool Mailed);

/// <summary>
/// Exports a review sheet into review/outbox/ and, when Notifications:StudioEmail is set, queues it
/// for the studio by e-mail. The file is written under a temporary name and renamed, so the studio
/// (or a sync tool) never picks up half a workbook.
/// </summary>
public sealed class ReviewSheetExporter(
    Database database,
    DataPaths paths,
    ReviewQueue queue,
    ReviewSheetWriter writer,
    IOutbox outbox,
    InstallationIdentity installation,
    CampaignClock clock,
    IOptions<ReviewOptions> options,
    IOptions<CampaignOptions> campaign,
    IOptions<RecipientsOptions> notifications,
    TimeProvider time,
    ILogger<ReviewSheetExporter> logger)
{
    public const string MailTemplate = "review-sheet";
    public const string ThumbnailStep = "制作缩略图 Making thumbnails";
    public const string WritingStep = "写入审核表 Writing the review sheet";

    /// <summary>Exports whatever awaits review now; no file when nothing does.</summary>
    public async Task<ReviewExportResult> ExportAsync(string trigger, CancellationToken ct = default, IProgress<WorkProgress>? progress = null)
    {
        var pending = await queue.PendingAsync(ct);
        var auto = await queue.AutoRejectedAsync(ct);
        return await ExportAsync(pending, auto, trigger, ct, progress);
    }

    /// <summary>
    /// For the schedule and after each returned sheet: exports only when a submission awaits review that
    /// the latest sheet did not list, or when the latest sheet has come back and photos are still pending
    /// (rows left blank or in error): those go out again at once, so the studio never waits for a sheet.
    /// </summary>
    public async Task<ReviewExportResult?> ExportIfNewAsync(CancellationToken ct = default, IProgress<WorkProgress>? progress = null)
    {
        var pending = await queue.PendingAsync(ct);
        if (pending.Count == 0) return null;
        await using (var c = await database.OpenAsync(ct))
        {
            var latest = await c.ExecuteScalarAsync<long?>("SELECT max(id) FROM review_sheets WHERE written_at IS NOT NULL");
            var listed = (await c.QueryAsync<long>(
                "SELECT submission_id FROM review_sheet_rows WHERE sheet_id = @latest AND part = 'pending'", new { latest })).ToHashSet();
            var returned = latest is not null && await c.ExecuteScalarAsync<bool>(
                "SELECT EXISTS (SELECT 1 FROM review_imports WHERE sheet_id = @latest)", new { latest });
            if (!returned && pending.All(p => listed.Contains(p.SubmissionId))) return null;
        }
        return await ExportAsync(pending, await queue.AutoRejectedAsync(ct), "schedule", ct, progress);
    }

    private async Task<ReviewExportResult> ExportAsync(List<ReviewItem> pending, List<ReviewItem> auto, string trigger, CancellationToken ct,
        IProgress<WorkProgress>? progress = null)
    {
        if (pending.Count == 0 && auto.Count == 0) return new ReviewExportResult(null, null, 0, 0, false);
        var now = time.GetUtcNow();
        Directory.CreateDirectory(paths.ReviewOutbox);

        long sheetId;
        string fileName;
        // A short transaction for the sheet's number: the workbook itself is built outside any transaction
        // so the store's single writer is never held while thousands of thumbnails are made.
        await using (var c = await database.OpenAsync(ct))
        {
            sheetId = await c.ExecuteScalarAsync<long>(
                "INSERT INTO review_sheets (file_name, created_at, trigger) VALUES ('', @now, @trigger) RETURNING id",
                new { now = UtcTimestamp.ToText(now), trigger });
            fileName = $"review-{clock.FileStamp(now)}-{sheetId}.xlsx";
            await c.ExecuteAsync("UPDATE review_sheets SET file_name = @fileName WHERE id = @sheetId", new { fileName, sheetId });
        }

        var pictures = await PicturesAsync(pending.Concat(auto).ToList(), ct, progress);
        progress?.Report(WorkProgress.Started(WritingStep));
        var target = Path.Combine(paths.ReviewOutbox, fileName);
        var temporary = Path.Combine(paths.ReviewOutbox, $".{fileName}.tmp");
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            using var buffer = new MemoryStream();
            writer.Write(new ReviewSheetData(await installation.IdAsync(ct), sheetId, now, campaign.Value.ReviewSla, pending, auto, pictures, options.Value.ReasonList), buffer);
            buffer.Position = 0;
            await buffer.CopyToAsync(file, ct);
        }
        File.Move(temporary, target, overwrite: true);

        var studio = notifications.Value.StudioEmail;
        await using (var c = await database.OpenAsync(ct))
        {
            await using var tx = (DbTransaction)await c.BeginTransactionAsync(ct);
            await c.ExecuteAsync(
                "UPDATE review_sheets SET written_at = @now, pending_count = @p, auto_rejected_count = @a WHERE id = @sheetId",
                new { now = UtcTimestamp.ToText(time.GetUtcNow()), p = pending.Count, a = auto.Count, sheetId }, tx);
            await c.ExecuteAsync("INSERT INTO review_sheet_rows (sheet_id, submission_id, part) VALUES (@sheetId, @id, @part)",
                pending.Select(p => new { sheetId, id = p.SubmissionId, part = "pending" })
                    .Concat(auto.Select(a => new { sheetId, id = a.SubmissionId, part = "auto_rejected" })), tx);
            if (studio.Length > 0)
            {
                var overdue = pending.Count(p => p.ReceivedAt + campaign.Value.ReviewSla <= now);
                await outbox.EnqueueAsync(c, tx, new OutboxMessage($"review-sheet:{sheetId}:studio", MailTemplate, studio, "",
                    new { SheetId = sheetId, File = fileName, Pending = pending.Count, AutoRejected = auto.Count, Overdue = overdue }));
            }
            await AuditLog.WriteAsync(c, tx, now, trigger, "review sheet exported", $"review-sheet:{sheetId}",
                new { file = fileName, pending = pending.Count, auto_rejected = auto.Count });
            await tx.CommitAsync(ct);
        }
        logger.LogInformation("Review sheet {SheetId} exported to {File}: {Pending} awaiting review, {AutoRejected} automatic rejections; mailed to studio: {Mailed}",
            sheetId, target, pending.Count, auto.Count, studio.Length > 0);
        return new ReviewExportResult(target, sheetId, pending.Count, auto.Count, studio.Length > 0);
    }

    /// <summary>Thumbnails of every photo and evidence image, made on all cores (decoding dominates the export).</summary>
    private async Task<Dictionary<long, ReviewPictures>> PicturesAsync(List<ReviewItem> items, CancellationToken ct, IProgress<WorkProgress>? progress)
    {
        var result = new System.Collections.Concurrent.ConcurrentDictionary<long, ReviewPictures>();
        progress?.Report(new WorkProgress(ThumbnailStep, 0, items.Count));
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (item, token) =>
            {
                var photo = await Thumbnails.FromFileAsync(paths.ArchiveFileFor(item.Sha256), token);
                var evidence = await Thumbnails.FromFileAsync(EvidenceFileFor(item), token);
                if (photo is null) logger.LogWarning("Submission {SubmissionId}: archived photo {Sha256} missing or unreadable; the sheet shows no thumbnail", item.SubmissionId, item.Sha256);
                result[item.SubmissionId] = new ReviewPictures(photo, evidence);
                progress?.Report(new WorkProgress(ThumbnailStep, result.Count, items.Count));
            });
        return new Dictionary<long, ReviewPictures>(result);
    }

    /// <summary>The inspection's annotated image: the stored path if it gave one, else evidence/N.png.</summary>
    private string EvidenceFileFor(ReviewItem item) =>
        string.IsNullOrEmpty(item.EvidenceFile) ? Path.Combine(paths.Evidence, $"{item.SubmissionId}.png")
        : Path.IsPathRooted(item.EvidenceFile) ? item.EvidenceFile : Path.Combine(paths.Root, item.EvidenceFile);
}
