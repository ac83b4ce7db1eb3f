using System.Security.Cryptography;
using CollectionWorker.Logging;
using CollectionWorker.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Intake;

/// <summary>A file in the drop folder that has been stable long enough to be taken.</summary>
/// <param name="Kind">what the entry is, read without opening it: only a regular file is ever opened</param>
public sealed record InboxFile(string FullPath, string RelativeName, long Size, DateTime LastWriteUtc, DateTimeOffset FirstSeen,
    FileKindValue Kind = FileKindValue.Regular);

/// <summary>What became of one file.</summary>
public enum IntakeOutcome
{
    Recorded,
    /// <summary>Same bytes already recorded for the same student: recorded once, inbox copy removed.</summary>
    Duplicate,
    Unmatched,
    Refused,
    /// <summary>Could not be opened exclusively or read: left where it is, tried again later.</summary>
    Locked,
    /// <summary>Changed while being taken: left where it is, taken when stable again.</summary>
    Changed,
    /// <summary>Opening it did not finish within <c>Intake:OpenTimeout</c>: passed over for a while, the other files go on.</summary>
    Stalled,
    /// <summary>The disk is full: left where it is; intake pauses and tries again with back-off.</summary>
    DiskFull,
    /// <summary>Another node sharing the store has claimed this file (or has already taken it): looked at again later.</summary>
    ClaimedElsewhere,
}

/// <summary>
/// Takes one stable inbox file through to its end: refused, unmatched, or archived and recorded.
/// Order is what makes it crash-safe: bytes archived and flushed → row committed → inbox file
/// removed. A crash after the commit leaves the file in the inbox; the next run finds the same
/// bytes already recorded for that student and only removes it.
/// </summary>
public sealed partial class IntakeProcessor(
    FileNameMatcher matcher,
    SubmissionRecorder recorder,
    PhotoArchive archive,
    SetAsideFolder setAside,
    Database database,
    WorkClaims claims,
    IOptions<IntakeOptions> options,
    ILogger<IntakeProcessor> logger)
{
    public const string TooLargeCode = "TOO_LARGE";
    public const string EmptyCode = "EMPTY";
    public const string PathEscapeCode = "PATH_ESCAPE";
    public const string NotRegularCode = "NOT_REGULAR_FILE";

    // SQLite has one writer; queuing here is cheaper than SQLite's busy back-off.
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public NameMatch Match(InboxFile file, StudentDirectory students) => matcher.Match(Path.GetFileName(file.RelativeName), students);

    /// <summary>
    /// Takes the file through. On a store several nodes share, the file (path, size and time stamp) is first
    /// claimed in the database, so only one node archives and records it; the claim is given up when done.
    /// </summary>
    public async Task<IntakeOutcome> ProcessAsync(InboxFile file, NameMatch match, CancellationToken ct)
    {
        if (!database.IsShared) return await ProcessClaimedAsync(file, match, ct);
        var item = $"{file.RelativeName}|{file.Size}|{file.LastWriteUtc.Ticks}";
        if (!await claims.TryClaimAsync(WorkClaims.IntakeFile, item, ct)) return IntakeOutcome.ClaimedElsewhere;
        try
        {
            // Another node may have taken it between this node's scan and its claim.
            return File.Exists(file.FullPath) ? await ProcessClaimedAsync(file, match, ct) : IntakeOutcome.ClaimedElsewhere;
        }
        finally
        {
            await claims.ReleaseAsync(WorkClaims.IntakeFile, item, CancellationToken.None);
        }
    }

    private async Task<IntakeOutcome> ProcessClaimedAsync(InboxFile file, NameMatch match, CancellationToken ct)
    {
        var max = options.Value.MaxFileBytes;
        // A named pipe, socket or device is never opened (opening a pipe blocks until someone writes): it is moved aside by name.
        if (file.Kind != FileKindValue.Regular)
        {
            var (zh, en) = FileKind.Describe(file.Kind);
            return await RefuseAsync(file, new SetAsideReason(NotRegularCode,
                $"这不是普通文件，而是{zh}：照片必须是普通文件，未打开、已移出",
                $"this is {en}, not a regular file: a photo must be a regular file; it was not opened, only moved aside"), null, ct);
        }
        if (EscapesFolder(file.RelativeName))
            return await RefuseAsync(file, new SetAsideReason(PathEscapeCode,
                "文件名含有路径成分（如 ..、\\ 或盘符），可能试图写到文件夹之外，已拒收",
                "the file name contains path parts (such as .., \\ or a drive) that could point outside the folder; refused"), null, ct);

        byte[]? bytes = null;
        if (file.Size <= max)
        {
            var (read, locked, stalled) = await ReadExclusivelyAsync(file.FullPath, file.Size, ct);
            if (stalled) return IntakeOutcome.Stalled;
            if (locked) return IntakeOutcome.Locked;
            if (read is null) return IntakeOutcome.Changed;
            bytes = read;
        }
        else if (!CanOpenExclusively(file.FullPath)) return IntakeOutcome.Locked;

        if (bytes is null)
            return await RefuseAsync(file, new SetAsideReason(TooLargeCode,
                $"文件过大：{file.Size} 字节，上限 {max} 字节（标准照片约 20–40 KB）",
                $"file too large: {file.Size} bytes, limit {max} bytes (a standard photo is about 20–40 KB)"), null, ct);
        if (bytes.Length == 0)
            return await RefuseAsync(file, new SetAsideReason(EmptyCode, "文件为空（0 字节）", "the file is empty (0 bytes)"), null, ct);

        if (match.Student is not { } student)
        {
            var reason = new SetAsideReason(match.ReasonCode, match.ReasonZh, match.ReasonEn);
            if (match.ReasonCode == FileNameMatcher.WrongExtension) return await RefuseAsync(file, reason, null, ct);
            var kept = await setAside.KeepAsync(file.FullPath, file.RelativeName, setAside.Unmatched, reason, ct);
            LogSetAside(LogText.Name(file.RelativeName), IntakeOutcome.Unmatched, reason.Code, file.Size, LogText.Name(kept), reason.En);
            return IntakeOutcome.Unmatched;
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var decision = await recorder.DecideAsync(student, sha256, file.FirstSeen, ct);
        if (decision is IntakeDecision.Refuse early) return await RefuseAsync(file, new(early.Code, early.ReasonZh, early.ReasonEn), student, ct);

        // Archive first (also for a re-delivery, in case the archived copy was lost): a row never points at missing bytes.
        await archive.StoreAsync(sha256, bytes, ct);
        if (decision is IntakeDecision.Accept)
        {
            await _writeGate.WaitAsync(ct);
            try
            {
                var (final, recorded) = await recorder.RecordAsync(student, sha256, file.RelativeName, bytes.Length, file.FirstSeen, ct);
                decision = final;
                if (recorded is not null)
                {
                    if (!RemoveFromInbox(file)) return IntakeOutcome.Changed;
                    LogRecorded(LogText.Name(file.RelativeName), student.StudentNumber, recorded.Id, recorded.Attempt, SubmissionRecorder.Text(recorded.Stamp),
                        SubmissionStates.ToText(recorded.State), bytes.Length, sha256, recorded.SupersededIds.Count,
                        recorded.SamePhotoCount == 0 ? "" : $"{recorded.SamePhotoCount} other student(s): {string.Join(",", recorded.SamePhotoFirst)}{(recorded.SamePhotoCount > recorded.SamePhotoFirst.Count ? ",…" : "")}");
                    return IntakeOutcome.Recorded;
                }
            }
            finally
            {
                _writeGate.Release();
            }
        }

        switch (decision)
        {
            case IntakeDecision.AlreadyRecorded same:
                if (!RemoveFromInbox(file)) return IntakeOutcome.Changed;
                LogDuplicate(LogText.Name(file.RelativeName), student.StudentNumber, same.SubmissionId, same.Attempt, bytes.Length, sha256);
                return IntakeOutcome.Duplicate;
            case IntakeDecision.Refuse refuse:
                return await RefuseAsync(file, new(refuse.Code, refuse.ReasonZh, refuse.ReasonEn), student, ct);
            default:
                throw new InvalidOperationException($"Unexpected intake decision {decision}.");
        }
    }

    private async Task<IntakeOutcome> RefuseAsync(InboxFile file, SetAsideReason reason, IntakeStudent? student, CancellationToken ct)
    {
        var kept = await setAside.KeepAsync(file.FullPath, file.RelativeName, setAside.Refused, reason, ct);
        LogSetAside(LogText.Name(file.RelativeName), IntakeOutcome.Refused, reason.Code, file.Size, LogText.Name(kept),
            reason.En + (student is null ? "" : $" [{student.StudentNumber}]"));
        return IntakeOutcome.Refused;
    }

    /// <summary>
    /// Removes the inbox copy only if it is still the file that was read (a new upload under the same
    /// name must not be deleted unseen). False means it changed: it will be taken again.
    /// </summary>
    private static bool RemoveFromInbox(InboxFile file)
    {
        var now = new FileInfo(file.FullPath);
        if (!now.Exists) return true;
        if (now.Length != file.Size || now.LastWriteTimeUtc != file.LastWriteUtc) return false;
        now.Delete();
        return true;
    }

    /// <summary>A name that, used as a path anywhere (Windows included), could leave the folder.</summary>
    public static bool EscapesFolder(string relativeName)
    {
        var name = Path.GetFileName(relativeName);
        if (name.Contains('\\') || name.Contains(':') || name.Any(char.IsControl)) return true;
        return relativeName.Split(['/', '\\']).Any(s => s is ".." or ".");
    }

    /// <summary>
    /// The whole file, read under an exclusive open. Locked when another writer holds it or it cannot
    /// be read; no bytes (not locked) when its length is no longer the stable one; stalled when the
    /// open itself did not return within <c>Intake:OpenTimeout</c> (the open goes on in the
    /// background and its stream is closed if it ever returns, but this file no longer holds up the others).
    /// </summary>
    private async Task<(byte[]? Bytes, bool Locked, bool Stalled)> ReadExclusivelyAsync(string path, long expectedSize, CancellationToken ct)
    {
        try
        {
            var opening = Task.Run(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1,
                FileOptions.Asynchronous | FileOptions.SequentialScan), CancellationToken.None);
            try
            {
                await opening.WaitAsync(options.Value.OpenTimeout, ct);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                _ = opening.ContinueWith(static t => t.Result.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);
                if (e is OperationCanceledException) throw;
                return (null, false, true);
            }
            await using var stream = await opening;
            if (stream.Length != expectedSize) return (null, false, false);
            var buffer = new byte[expectedSize];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), ct);
                if (n == 0) return (null, false, false);
                read += n;
            }
            return (buffer, false, false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, false, false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, true, false);
        }
    }

    private static bool CanOpenExclusively(string path)
    {
        try
        {
            using var _ = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Intake {File}: {Outcome} student {StudentNumber} submission {SubmissionId} attempt {Attempt} window {Window} state {State} size {Size} sha {ShortHash} superseded {Superseded} same-photo-as {SamePhotoAs}")]
    private partial void LogRecordedCore(string file, IntakeOutcome outcome, string studentNumber, long submissionId, int attempt, string window,
        string state, long size, string shortHash, int superseded, string samePhotoAs);

    private void LogRecorded(string file, string studentNumber, long submissionId, int attempt, string window, string state, long size,
        string sha256, int superseded, string samePhotoAs) =>
        LogRecordedCore(file, IntakeOutcome.Recorded, studentNumber, submissionId, attempt, window, state, size, sha256[..12], superseded, samePhotoAs);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information,
        Message = "Intake {File}: {Outcome} student {StudentNumber} submission {SubmissionId} attempt {Attempt} size {Size} sha {ShortHash} (same bytes already recorded for this student; recorded once)")]
    private partial void LogDuplicateCore(string file, IntakeOutcome outcome, string studentNumber, long submissionId, int attempt, long size, string shortHash);

    private void LogDuplicate(string file, string studentNumber, long submissionId, int attempt, long size, string sha256) =>
        LogDuplicateCore(file, IntakeOutcome.Duplicate, studentNumber, submissionId, attempt, size, sha256[..12]);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Intake {File}: {Outcome} {ReasonCode} size {Size} kept as {KeptAs}: {Reason}")]
    private partial void LogSetAside(string file, IntakeOutcome outcome, string reasonCode, long size, string keptAs, string reason);
}
