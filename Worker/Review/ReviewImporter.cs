using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using static CollectionWorker.Review.ReviewOutcomeKind;

namespace CollectionWorker.Review;

/// <summary>A returned sheet after import: every row's outcome, the receipt and where the original went.</summary>
public sealed record ReviewImportResult(
    string File, string Reviewer, IReadOnlyList<ReviewRowOutcome> Outcomes, string Receipt, string? Original, string? Error = null)
{
    public int Count(ReviewOutcomeKind kind) => Outcomes.Count(o => o.Kind == kind);
    public bool NeedsAttention => Error is not null || Outcomes.Any(o => ReviewOutcomes.NeedsAttention(o.Kind));

    public string Summary => Error is not null
        ? $"{Path.GetFileName(File)}: not imported: {Error}"
        : $"{Path.GetFileName(File)} by {Reviewer}: {Outcomes.Count} rows: {Count(Approved)} approved, {Count(Rejected)} rejected, " +
          $"{Count(Overturned)} overturned, {Count(Confirmed)} confirmed, {Count(Blank)} blank (still pending), {Count(AlreadyDecided)} already decided, " +
          $"{Count(Stale)} stale, {Count(Conflict)} conflicts, {Outcomes.Count(o => ReviewOutcomes.NeedsAttention(o.Kind) && o.Kind != Conflict)} errors";
}

/// <summary>
/// Applies a returned review sheet row by row, each row in its own transaction with its audit entry:
/// a studio decision, the resubmission deadline and the teacher's notice commit together or not at
/// all. The first decision on a submission stands: the same decision again is a no-op, a different
/// one is reported as a conflict. Then writes a receipt workbook and puts the original beside it in
/// review/processed/.
/// </summary>
public sealed class ReviewImporter(
    Database database,
    DataPaths paths,
    SubmissionLedger ledger,
    IOutbox outbox,
    ReviewReceiptWorkbook receipts,
    IHardStandards hardStandards,
    InstallationIdentity installation,
    CampaignClock clock,
    IOptions<ReviewOptions> options,
    IOptions<RecipientsOptions> notifications,
    TimeProvider time,
    ILogger<ReviewImporter> logger)
{
    public const string ReadingStep = "读取审核表 Reading the review sheet";
    public const string ApplyingStep = "应用审核结果 Applying the decisions";
    public const string ReceiptStep = "写入回执 Writing the receipt";

    /// <summary>
    /// Imports <paramref name="file"/>. A file in review/inbox/ is moved to review/processed/; any other
    /// file (import-review) is copied there and left where it is. An unreadable file throws
    /// <see cref="ReviewSheetException"/> unless it came from the inbox, where it is moved aside with a receipt saying why.
    /// </summary>
    public async Task<ReviewImportResult> ImportAsync(string file, string source, CancellationToken ct = default, IProgress<WorkProgress>? progress = null)
    {
        var fromInbox = string.Equals(Path.GetFullPath(Path.GetDirectoryName(file)!), Path.GetFullPath(paths.ReviewInbox), StringComparison.Ordinal);
        var fileName = Path.GetFileName(file);
        var now = time.GetUtcNow();
        var stamp = clock.FileStamp(now);
        Directory.CreateDirectory(paths.ReviewProcessed);
        var receiptPath = Path.Combine(paths.ReviewProcessed, $"{stamp}_{Path.GetFileNameWithoutExtension(fileName)}.receipt.xlsx");
        var originalPath = Path.Combine(paths.ReviewProcessed, $"{stamp}_{fileName}");

        ReviewSheetContent content;
        progress?.Report(WorkProgress.Started(ReadingStep));
        try
        {
            content = ReviewSheetReader.Read(file);
        }
        catch (ReviewSheetException e) when (fromInbox)
        {
            await File.WriteAllBytesAsync(receiptPath, receipts.Build(fileName, "", now, [], e.Message), ct);
            File.Move(file, originalPath, overwrite: true);
            await QueueReceiptAsync(fileName, receiptPath, [], e.Message, ct);
            logger.LogWarning("Review sheet {File} not imported: {Error}; moved to {Target}", fileName, e.Message, originalPath);
            return new ReviewImportResult(file, "", [], receiptPath, originalPath, e.Message);
        }

        if (await ForeignSheetAsync(content, ct) is { } foreign)
        {
            // Nothing of a sheet from elsewhere is applied: its keys name another store's submissions.
            await File.WriteAllBytesAsync(receiptPath, receipts.Build(fileName, content.Reviewer ?? "", now, [], foreign), ct);
            if (fromInbox) File.Move(file, originalPath, overwrite: true);
            else File.Copy(file, originalPath, overwrite: true);
            await QueueReceiptAsync(fileName, receiptPath, [], foreign, ct);
            logger.LogWarning("Review sheet {File} refused: {Error}; receipt {Receipt}", fileName, foreign, receiptPath);
            return new ReviewImportResult(file, content.Reviewer ?? "", [], receiptPath, originalPath, foreign);
        }

        var reviewer = content.Reviewer ?? $"图片社 studio ({fileName})";
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file, ct)));
        long importId;
        await using (var c = await database.OpenAsync(ct))
            importId = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO review_imports (file_name, sha256, sheet_id, reviewer, source, imported_at)
                VALUES (@fileName, @sha, @sheetId, @reviewer, @source, @now) RETURNING id
                """, new { fileName, sha, sheetId = content.SheetId, reviewer, source, now = UtcTimestamp.ToText(now) });

        var outcomes = new List<ReviewRowOutcome>();
        foreach (var row in content.Rows)
        {
            progress?.Report(new WorkProgress(ApplyingStep, outcomes.Count, content.Rows.Count));
            outcomes.Add(await ApplyAsync(row, row.Reviewer.Length > 0 ? row.Reviewer : reviewer, importId, fileName, ct));
        }
        progress?.Report(new WorkProgress(ApplyingStep, outcomes.Count, content.Rows.Count));
        progress?.Report(WorkProgress.Started(ReceiptStep));

        await File.WriteAllBytesAsync(receiptPath, receipts.Build(fileName, reviewer, now, outcomes, null), ct);
        if (fromInbox) File.Move(file, originalPath, overwrite: true);
        else File.Copy(file, originalPath, overwrite: true);
        var result = new ReviewImportResult(file, reviewer, outcomes, receiptPath, originalPath);

        await using (var c = await database.OpenAsync(ct))
        {
            await using var tx = (DbTransaction)await c.BeginTransactionAsync(ct);
            await c.ExecuteAsync("UPDATE review_imports SET receipt_file = @receipt, summary = @summary WHERE id = @importId",
                new { receipt = Path.GetFileName(receiptPath), summary = result.Summary, importId }, tx);
            await AuditAsync(c, tx, now, reviewer, "review sheet imported", $"review-import:{importId}", new
            {
                file = fileName, source, sheet_id = content.SheetId, receipt = Path.GetFileName(receiptPath),
                counts = outcomes.GroupBy(o => o.Code).ToDictionary(g => g.Key, g => g.Count()),
            });
            await QueueReceiptAsync(c, tx, fileName, receiptPath, outcomes, null);
            await tx.CommitAsync(ct);
        }
        logger.LogInformation("Review sheet imported: {Summary}; receipt {Receipt}", result.Summary, receiptPath);
        return result;
    }

    public const string ReceiptTemplate = "review-receipt";

    private async Task QueueReceiptAsync(string fileName, string receiptPath, IReadOnlyList<ReviewRowOutcome> outcomes, string? error, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await c.BeginTransactionAsync(ct);
        await QueueReceiptAsync(c, tx, fileName, receiptPath, outcomes, error);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// The receipt goes back to the studio by e-mail (when Notifications:StudioEmail is set), once per
    /// import: keyed by the receipt's own file name. The e-mail names the rows that need the studio's
    /// attention (at most 100; the attached receipt has them all).
    /// </summary>
    private async Task QueueReceiptAsync(DbConnection c, DbTransaction tx, string fileName, string receiptPath,
        IReadOnlyList<ReviewRowOutcome> outcomes, string? error)
    {
        var studio = notifications.Value.StudioEmail;
        if (studio.Length == 0) return;
        var attention = outcomes.Where(o => ReviewOutcomes.NeedsAttention(o.Kind)).ToList();
        await outbox.EnqueueAsync(c, tx, new OutboxMessage($"review-receipt:{Path.GetFileName(receiptPath)}:studio", ReceiptTemplate, studio, "", new
        {
            File = fileName, Receipt = Path.GetFileName(receiptPath), Error = error ?? "",
            Applied = outcomes.Count(o => ReviewOutcomes.IsApplied(o.Kind)),
            Pending = outcomes.Count(o => o.Kind == Blank),
            AttentionCount = attention.Count,
            Attention = attention.Take(100).Select(o => new
            {
                Row = o.Row.Where, o.Row.StudentNumber, o.Row.Name, o.Code,
                Message = o.MessageZh.Length > 300 ? o.MessageZh[..300] + "…" : o.MessageZh,
                MessageEn = o.MessageEn.Length > 300 ? o.MessageEn[..300] + "…" : o.MessageEn,
            }),
        }));
    }

    /// <summary>
    /// Why the sheet is not this installation's, or null when it is. A sheet carries the installation's id
    /// and its own number (hidden sheet, custom properties). A sheet from before identities were written is
    /// accepted only when this store exported a sheet of that number listing every submission the file names.
    /// </summary>
    private async Task<string?> ForeignSheetAsync(ReviewSheetContent content, CancellationToken ct)
    {
        var ours = await installation.IdAsync(ct);
        const string Use = "请使用本服务 review/outbox/ 中最新的审核表（待审核的照片会自动出现在下一张审核表中）。 Use the latest sheet from this service's review/outbox/ (pending photos go out again on the next sheet).";
        if (content.Installation is { } theirs && !string.Equals(theirs, ours, StringComparison.OrdinalIgnoreCase))
            return $"此审核表由另一个安装或另一期采集导出（标识 {Short(theirs)}，本服务 {Short(ours)}），未处理任何一行。" +
                   $"This review sheet was exported by another installation or campaign (id {Short(theirs)}; this service is {Short(ours)}); no row was applied. {Use}";
        if (content.SheetId is not { } sheetId)
            return $"此文件没有审核表编号，无法确认来自本服务，未处理任何一行。This file carries no review sheet number, so it cannot be told to come from this service; no row was applied. {Use}";
        await using var c = await database.OpenAsync(ct);
        var listed = (await c.QueryAsync<long>("SELECT submission_id FROM review_sheet_rows WHERE sheet_id = @sheetId", new { sheetId })).ToHashSet();
        var exported = await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM review_sheets WHERE id = @sheetId AND written_at IS NOT NULL)", new { sheetId });
        if (!exported)
            return $"审核表 #{sheetId} 不是本服务导出的，未处理任何一行。Review sheet #{sheetId} was not exported by this service; no row was applied. {Use}";
        if (content.Installation is null)
        {
            var strangers = content.Rows.Select(r => ReviewSheetLayout.ParseKey(r.Key)).Where(id => id is null || !listed.Contains(id.Value)).Count();
            if (strangers > 0)
                return $"此审核表没有安装标识（旧版本导出），且有 {strangers} 行不在本服务导出的审核表 #{sheetId} 中，未处理任何一行。" +
                       $"This sheet carries no installation id (exported by an older version) and {strangers} of its rows were not on sheet #{sheetId} as this service exported it; no row was applied. {Use}";
        }
        return null;
    }

    private static string Short(string id) => id.Length > 8 ? id[..8] + "…" : id;

    private async Task<ReviewRowOutcome> ApplyAsync(ReviewSheetRow row, string reviewer, long importId, string fileName, CancellationToken ct)
    {
        if (row.IsBlank)
            return new ReviewRowOutcome(row, Blank, "未填写审核结果，仍待审核", "no decision: still pending");
        // An approval is checked against the hard standards first, outside the transaction (it decodes the photo).
        var failed = ParseDecision(row.Decision) == Decisions.Approve && IsSha256(row.Sha256)
            ? await hardStandards.FailuresOfFileAsync(paths.ArchiveFileFor(row.Sha256.ToLowerInvariant()), ct)
            : [];
        var now = time.GetUtcNow();
        await using var c = await database.OpenAsync(ct);
        // Immediate transaction (Microsoft.Data.Sqlite's default): the checks below and the change they allow see the same store.
        await using var tx = (DbTransaction)await c.BeginTransactionAsync(ct);
        var (outcome, audited) = await DecideAsync(c, tx, row, reviewer, importId, fileName, now, failed);
        // A decision that moved the submission has its audit row from the ledger; every other filled row gets one here.
        if (!audited)
            await AuditAsync(c, tx, now, reviewer, $"review {outcome.Code}",
                outcome.SubmissionId is { } id ? $"submission:{id}" : $"review-import:{importId}",
                AuditDetail(row, fileName, importId, outcome.Message));
        await tx.CommitAsync(ct);
        return outcome;
    }

    private static object AuditDetail(ReviewSheetRow row, string fileName, long importId, string? outcome) => new
    {
        file = fileName, import_id = importId, sheet_row = row.Where, key = row.Key, student_number = row.StudentNumber,
        decision = row.Decision, reasons = row.Reasons, note = row.Note, outcome,
    };

    private async Task<(ReviewRowOutcome Outcome, bool Audited)> DecideAsync(DbConnection c, DbTransaction tx, ReviewSheetRow row,
        string reviewer, long importId, string fileName, DateTimeOffset now, IReadOnlyList<StandardFailure> failedStandards)
    {
        (ReviewRowOutcome, bool) Out(ReviewOutcomeKind kind, string zh, string en, long? id = null, DateTimeOffset? deadline = null) =>
            (new ReviewRowOutcome(row, kind, zh, en, id, deadline), false);
        (ReviewRowOutcome, bool) Moved(ReviewOutcomeKind kind, string zh, string en, long id, DateTimeOffset? deadline = null) =>
            (new ReviewRowOutcome(row, kind, zh, en, id, deadline), true);

        if (ReviewSheetLayout.ParseKey(row.Key) is not { } submissionId)
            return Out(UnknownKey, $"SubmissionKey「{row.Key}」无法识别", $"SubmissionKey '{row.Key}' is not one this service writes");
        // Two sheets deciding the same submission at once (two nodes, or the inbox beside import-review): this no-op
        // update holds the submission's row until commit (SQLite's writer lock already does), so the second waits, then
        // reads the first one's decision below and reports it (already decided / conflict) instead of applying its own.
        await c.ExecuteAsync("UPDATE submissions SET state = state WHERE id = @submissionId", new { submissionId }, tx);
        var sub = await c.QuerySingleOrDefaultAsync<Submission>(
            $"""
            SELECT sub.id, sub.sha256, sub.state, sub.verdict, sub.resubmit_deadline,
                   {SubmissionLedger.CurrentIdOf("sub.student_id")} AS latest_id,
                   st.teacher_name, st.teacher_email
            FROM submissions sub JOIN students st ON st.id = sub.student_id WHERE sub.id = @submissionId
            """, new { submissionId }, tx);
        if (sub is null)
            return Out(UnknownKey, $"SubmissionKey「{row.Key}」对应的上传不存在", $"SubmissionKey '{row.Key}' names no submission in the store");
        if (!string.Equals(sub.sha256, row.Sha256, StringComparison.OrdinalIgnoreCase))
            return Out(Tampered, "隐藏列 SubmissionKey 与照片哈希不一致（行被改动或复制），未处理",
                "SubmissionKey and the photo's hash do not match (the row was altered or copied); not applied", submissionId);

        var decision = ParseDecision(row.Decision);
        if (decision is null)
            return Out(UnknownDecision, $"审核结果「{row.Decision}」无法识别，请选 通过 或 不通过",
                $"decision '{row.Decision}' is not 通过 (approve) or 不通过 (reject)", submissionId);

        var earlier = await c.QuerySingleOrDefaultAsync<(string Decision, string Reviewer, string DecidedAt, string File)>(
            """
            SELECT d.decision, d.reviewer, d.decided_at, i.file_name
            FROM review_decisions d JOIN review_imports i ON i.id = d.import_id WHERE d.submission_id = @submissionId
            """, new { submissionId }, tx);
        if (earlier.Decision is not null)
        {
            var when = clock.Format(UtcTimestamp.Parse(earlier.DecidedAt));
            var word = earlier.Decision == Decisions.Approve ? "通过" : "不通过";
            var done = earlier.Decision == Decisions.Approve ? "approved" : "rejected";
            return earlier.Decision == decision
                ? Out(AlreadyDecided, $"已由 {earlier.Reviewer} 于 {when} 判为{word}（{earlier.File}），无需重复处理",
                    $"already {done} by {earlier.Reviewer} at {when} ({earlier.File}); nothing to do", submissionId)
                : Out(Conflict, $"冲突：已由 {earlier.Reviewer} 于 {when} 判为{word}（{earlier.File}），以先到者为准，本行未处理",
                    $"conflict: already {done} by {earlier.Reviewer} at {when} ({earlier.File}); the first decision stands, this row was not applied",
                    submissionId);
        }

        var state = SubmissionStates.Parse(sub.state);
        if (sub.latest_id != submissionId || state == SubmissionState.Superseded)
            return Out(Stale, "该学生已重新上传，本行作废（新照片会出现在下一张审核表）",
                "the student uploaded a newer photo; this row is ignored (the new one will be in the next sheet)", submissionId);

        var deadline = sub.resubmit_deadline is null ? (DateTimeOffset?)null : UtcTimestamp.Parse(sub.resubmit_deadline);
        // The inspection's own verdict marks an automatic rejection (the studio's rejections follow a 'review' or 'accept' verdict).
        var autoRejected = state == SubmissionState.Rejected && sub.verdict == "reject";
        var status = StudentStatusMachine.Decide(true, new LatestSubmission(state, deadline), now);
        if (!(state == SubmissionState.AwaitingReview || autoRejected && status == StudentStatus.Rejected))
            return Out(NotReviewable, $"该照片当前状态为「{StudentStatusMachine.Describe(status, true)}」，不能审核",
                $"the submission is {StudentStatusMachine.Describe(status, false)}; no review decision applies", submissionId);

        var target = decision == Decisions.Approve ? SubmissionState.Approved : SubmissionState.Rejected;
        if (target == SubmissionState.Approved && failedStandards.Count > 0)
            // The studio decides judgement calls; the national record refuses anything but a 480x640 colour JPEG.
            return Out(BelowStandard,
                $"不能通过：照片不符合硬性标准（须为 480x640 彩色 JPG），{StandardFailures.DescribeZh(failedStandards)}。请学生重新上传",
                $"cannot be approved: the photo fails a hard standard (a 480x640 colour JPEG is required): {StandardFailures.DescribeEn(failedStandards)}. The student must upload again",
                submissionId);
        if (autoRejected && decision == Decisions.Reject)
        {
            await RecordAsync(c, tx, submissionId, decision, state, null, null, row, reviewer, importId, now);
            return Out(Confirmed, "维持自动退回", "automatic rejection confirmed", submissionId);
        }
        var kind = decision == Decisions.Approve
            ? autoRejected ? SubmissionEventKind.Overturned : SubmissionEventKind.Approved
            : SubmissionEventKind.Rejected;
        if (!SubmissionTransitions.Allows(state, kind))
            return Out(NotReviewable, $"不能从「{sub.state}」改为「{SubmissionStates.ToText(target)}」", $"cannot move from {sub.state} to {SubmissionStates.ToText(target)}", submissionId);

        if (target == SubmissionState.Approved)
        {
            var detail = AuditDetail(row, fileName, importId, null);
            await ledger.ApplyAsync(c, tx, submissionId,
                autoRejected ? new SubmissionEvent.Overturned(reviewer, detail) : new SubmissionEvent.Decided(reviewer, Approves: true, AuditDetail: detail));
            await RecordAsync(c, tx, submissionId, decision, state, null, null, row, reviewer, importId, now);
            return autoRejected
                ? Moved(Overturned, "自动退回已改判为通过", "automatic rejection overturned: approved", submissionId)
                : Moved(Approved, "已通过", "approved", submissionId);
        }

        var (known, unknown) = ReasonText.Parse(row.Reasons, options.Value.ReasonList);
        if (unknown.Count > 0)
            return Out(UnknownReason, $"退回原因「{string.Join("；", unknown)}」不在列表中，请从下拉列表选择",
                $"reason '{string.Join("; ", unknown)}' is not in the list; choose from the dropdown", submissionId);
        if (known.Count == 0)
            return Out(MissingReason, "不通过须至少选一个退回原因", "a rejection needs at least one reason", submissionId);
        if (known.FirstOrDefault(r => r.NeedsNote) is { } vague && row.Note.Length == 0)
            return Out(MissingReason, $"选「{vague.Zh}」须在备注写明原因", $"'{vague.En}' needs a Note saying what is wrong", submissionId);

        var note = row.Note.Length == 0 ? "" : row.Note;
        var reasonsZh = string.Join("；", known.Select(r => r.Zh)) + (note.Length > 0 ? $"；备注：{note}" : "");
        var reasonsEn = string.Join("; ", known.Select(r => r.En)) + (note.Length > 0 ? $"; note: {note}" : "");
        var moved = await ledger.ApplyAsync(c, tx, submissionId, new SubmissionEvent.Decided(reviewer, Approves: false, reasonsZh, reasonsEn,
            AuditDetail(row, fileName, importId, null),
            [new OutboxMessage($"rejected:{submissionId}:teacher", "rejection-notice", sub.teacher_email, sub.teacher_name, new { SubmissionId = submissionId })]));
        var due = moved.ResubmitDeadline!.Value;
        await RecordAsync(c, tx, submissionId, decision, state, reasonsZh, reasonsEn, row, reviewer, importId, now);
        return Moved(Rejected, $"已退回：{reasonsZh}；须在 {clock.Format(due)} 前重新上传", $"rejected: {reasonsEn}; resubmit by {clock.Format(due)}",
            submissionId, due);
    }

    private static Task RecordAsync(DbConnection c, DbTransaction tx, long submissionId, string decision, SubmissionState previous,
        string? reasonsZh, string? reasonsEn, ReviewSheetRow row, string reviewer, long importId, DateTimeOffset now) =>
        c.ExecuteAsync(
            """
            INSERT INTO review_decisions (submission_id, decision, previous_state, reasons_zh, reasons_en, note, reviewer, decided_at, import_id, sheet_row)
            VALUES (@submissionId, @decision, @previous, @reasonsZh, @reasonsEn, @note, @reviewer, @now, @importId, @where)
            """,
            new
            {
                submissionId, decision, previous = SubmissionStates.ToText(previous), reasonsZh, reasonsEn, note = row.Note.Length == 0 ? null : row.Note,
                reviewer, now = UtcTimestamp.ToText(now), importId, where = row.Where,
            }, tx);

    private static Task AuditAsync(DbConnection c, DbTransaction tx, DateTimeOffset now, string actor, string action, string subject, object detail) =>
        AuditLog.WriteAsync(c, tx, now, actor, action, subject, detail);

    /// <summary>通过 / 不通过 as the dropdown gives them; the English words too, for a sheet filled by hand.</summary>
    public static string? ParseDecision(string text) => text.Trim().ToLowerInvariant() switch
    {
        ReviewSheetLayout.Approve or "approve" or "approved" or "pass" => Decisions.Approve,
        ReviewSheetLayout.Reject or "reject" or "rejected" or "fail" => Decisions.Reject,
        _ => null,
    };

    private static bool IsSha256(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigit);

    private static class Decisions
    {
        public const string Approve = "approve";
        public const string Reject = "reject";
    }

    private sealed class Submission
    {
        public long id { get; set; }
        public string sha256 { get; set; } = "";
        public string state { get; set; } = "";
        public string? verdict { get; set; }
        public string? resubmit_deadline { get; set; }
        public long latest_id { get; set; }
        public string teacher_name { get; set; } = "";
        public string teacher_email { get; set; } = "";
    }
}
