using System.Collections.Concurrent;
using System.IO.Enumeration;
using CollectionWorker.Campaign;
using CollectionWorker.Logging;
using CollectionWorker.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Intake;

/// <summary>
/// Watches the upload drop folder (inbox/) and hands each finished file to <see cref="IntakeProcessor"/>.
/// A <see cref="FileSystemWatcher"/> gives prompt notice, but loses events when its buffer overflows
/// under a burst; the full rescan (at start, every <c>Intake:RescanEvery</c>, and after an overflow)
/// is what guarantees nothing is missed. A file is taken once its size and time stamp have been
/// unchanged for <c>Intake:StableFor</c> and it can be opened exclusively.
/// </summary>
public sealed partial class DropFolderWatcher(
    IntakeProcessor processor,
    PhotoArchive archive,
    SubmissionRecorder recorder,
    DropFolderHeartbeat heartbeat,
    Database database,
    DataPaths paths,
    IOptions<IntakeOptions> options,
    IOptions<CampaignOptions> campaign,
    TimeProvider time,
    ILogger<DropFolderWatcher> logger) : BackgroundService
{
    /// <summary>Largest number of files taken in one pass; keeps the loop responsive and the roster snapshot fresh.</summary>
    private const int BatchSize = 2000;

    private static readonly TimeSpan ChangedBackoff = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, Candidate> _candidates = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _events = new();
    private readonly SemaphoreSlim _wake = new(0);
    private volatile bool _overflowed;
    private bool _heldReleased;
    private bool _warnedNoRoster;

    // Until the first full scan after start: files found by it waited while the service was down, and are
    // stamped by their modification time bounded by the previous run's last scan (DropFolderHeartbeat).
    private bool _firstScan = true;
    private DateTimeOffset? _lastSeenBeforeStart;

    /// <summary>Longest pause between attempts while the disk is full.</summary>
    private static readonly TimeSpan MaxDiskFullBackoff = TimeSpan.FromMinutes(5);

    // A full disk pauses all intake (every file would fail the same way): reported once, retried with back-off.
    private bool _diskFull;
    private TimeSpan _diskBackoff;
    private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;

    private sealed class Candidate
    {
        public required string RelativeName { get; init; }
        public long Size { get; set; }
        public DateTime LastWriteUtc { get; set; }
        /// <summary>When the current size and time stamp were first seen.</summary>
        public DateTimeOffset StableSince { get; set; }
        /// <summary>When the file was first seen at all: its received time.</summary>
        public DateTimeOffset FirstSeen { get; init; }
        public DateTimeOffset NotBefore { get; set; }
        public int FailedAttempts { get; set; }
        public bool Seen { get; set; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var o = options.Value;
        Directory.CreateDirectory(paths.Inbox);
        // On a shared data directory another node may be writing its own temporary files right now: only old ones are leftovers.
        archive.RemoveLeftovers(database.IsShared ? database.ClaimTimeout : null);
        using var watcher = StartWatcher(o.Recursive);
        logger.LogInformation("Intake watching {Inbox} (recursive {Recursive}, stable for {StableFor}, rescan every {RescanEvery})",
            paths.Inbox, o.Recursive, o.StableFor, o.RescanEvery);

        var nextRescan = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var now = time.GetUtcNow();
                if (_firstScan) _lastSeenBeforeStart = await heartbeat.LastSeenAsync(stoppingToken);
                if (now >= nextRescan || _overflowed)
                {
                    _overflowed = false;
                    Rescan(now);
                    _firstScan = false;
                    await heartbeat.BeatAsync(now, stoppingToken);
                    nextRescan = now + o.RescanEvery;
                }
                while (_events.TryDequeue(out var path)) Observe(path, now);
                await ReleaseHeldAsync(stoppingToken);

                if (now < _pausedUntil)
                {
                    wait = (_pausedUntil < nextRescan ? _pausedUntil : nextRescan) - now;
                }
                else
                {
                    var ready = TakeReady(now);
                    if (ready.Count > 0)
                    {
                        await ProcessAsync(ready, stoppingToken);
                        continue;
                    }
                    wait = NextWake(now, nextRescan);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (DiskSpace.IsFull(e))
            {
                DiskIsFull();
                wait = _diskBackoff;
            }
            catch (Exception e)
            {
                // The store or the disk may be briefly unavailable; nothing was removed, so simply try again.
                logger.LogError(e, "Intake pass failed; files stay in the inbox and are tried again");
                wait = o.RetryLockedEvery;
            }
            await WaitAsync(wait, stoppingToken);
        }
    }

    private FileSystemWatcher? StartWatcher(bool recursive)
    {
        try
        {
            var w = new FileSystemWatcher(paths.Inbox)
            {
                IncludeSubdirectories = recursive,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite,
                InternalBufferSize = 64 * 1024,
            };
            w.Created += (_, e) => Enqueue(e.FullPath);
            w.Changed += (_, e) => Enqueue(e.FullPath);
            w.Renamed += (_, e) => Enqueue(e.FullPath);
            w.Error += (_, e) =>
            {
                _overflowed = true;
                logger.LogWarning("Intake folder watcher lost events ({Error}); rescanning the drop folder", e.GetException().Message);
                _wake.Release();
            };
            w.EnableRaisingEvents = true;
            return w;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // Without notifications the periodic rescan still finds every file, only later.
            logger.LogWarning(e, "Intake cannot watch {Inbox} for changes; relying on the rescan every {RescanEvery}", paths.Inbox, options.Value.RescanEvery);
            return null;
        }
    }

    private void Enqueue(string path)
    {
        _events.Enqueue(path);
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken ct)
    {
        if (wait <= TimeSpan.Zero) return;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(wait, time, cts.Token);
        var signal = _wake.WaitAsync(cts.Token);
        await Task.WhenAny(delay, signal);
        await cts.CancelAsync();
        try
        {
            await Task.WhenAll(delay, signal);
        }
        catch (OperationCanceledException)
        {
            // One of the two always ends cancelled.
        }
        // Events tend to come in bursts: drain the semaphore so one burst costs one pass.
        while (_wake.CurrentCount > 0) _wake.Wait(0);
    }

    private TimeSpan NextWake(DateTimeOffset now, DateTimeOffset nextRescan)
    {
        var next = nextRescan;
        var o = options.Value;
        foreach (var c in _candidates.Values)
        {
            var due = c.StableSince + o.StableFor;
            if (c.NotBefore > due) due = c.NotBefore;
            if (due < next) next = due;
        }
        // Early uploads are held until the window opens: wake then to release them.
        if (!_heldReleased && campaign.Value.UploadStart > now && campaign.Value.UploadStart < next) next = campaign.Value.UploadStart;
        var wait = next - now;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private async Task ReleaseHeldAsync(CancellationToken ct)
    {
        if (_heldReleased || time.GetUtcNow() < campaign.Value.UploadStart) return;
        var moved = await recorder.ReleaseHeldAsync(ct);
        if (moved > 0) logger.LogInformation("Upload window open: {Count} early submission(s) released for inspection", moved);
        _heldReleased = true;
    }

    /// <summary>Full walk of the drop folder: adds every candidate file and forgets files that are gone.</summary>
    private void Rescan(DateTimeOffset now)
    {
        foreach (var c in _candidates.Values) c.Seen = false;
        Walk(new DirectoryInfo(paths.Inbox), now);
        foreach (var gone in _candidates.Where(kv => !kv.Value.Seen).Select(kv => kv.Key).ToList()) _candidates.Remove(gone);
    }

    private void Walk(DirectoryInfo dir, DateTimeOffset now)
    {
        IEnumerable<FileSystemInfo> entries;
        try
        {
            entries = dir.EnumerateFileSystemInfos("*", new EnumerationOptions { IgnoreInaccessible = true, AttributesToSkip = 0, RecurseSubdirectories = false });
            foreach (var entry in entries)
            {
                if (entry is DirectoryInfo sub)
                {
                    if (options.Value.Recursive && !IsIgnored(sub)) Walk(sub, now);
                    continue;
                }
                if (entry is FileInfo file) Consider(file, now);
            }
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Intake could not list {Folder}: {Error}", dir.FullName, e.Message);
        }
    }

    /// <summary>A path named by a watcher event: a file to consider, or a folder that arrived whole.</summary>
    private void Observe(string path, DateTimeOffset now)
    {
        if (!path.StartsWith(paths.Inbox, StringComparison.Ordinal)) return;
        if (Directory.Exists(path))
        {
            var dir = new DirectoryInfo(path);
            if (options.Value.Recursive && !IsIgnored(dir) && !InIgnoredFolder(path)) Walk(dir, now);
            return;
        }
        var file = new FileInfo(path);
        if (file.Exists && !InIgnoredFolder(path)) Consider(file, now);
    }

    private void Consider(FileInfo file, DateTimeOffset now)
    {
        // A name built to escape the folder (e.g. "..\\..\\x.jpg" on Linux) looks like a dot-file, but must be refused, not overlooked.
        if (IsIgnored(file) && !(file.LinkTarget is null && IntakeProcessor.EscapesFolder(file.Name))) return;
        var relative = Path.GetRelativePath(paths.Inbox, file.FullName);
        if (!options.Value.Recursive && relative.Contains(Path.DirectorySeparatorChar)) return;
        var size = file.Length;
        var written = file.LastWriteTimeUtc;
        if (!_candidates.TryGetValue(file.FullName, out var c))
        {
            // A file already untouched for StableFor (e.g. waiting while the service was down) need not wait again.
            var since = now - new DateTimeOffset(written, TimeSpan.Zero) >= options.Value.StableFor ? now - options.Value.StableFor : now;
            // Found by the first scan after start, it arrived while the service was down: when, its time stamp says (bounded).
            var arrived = _firstScan ? DropFolderHeartbeat.ArrivedAt(written, _lastSeenBeforeStart, now) : now;
            _candidates[file.FullName] = new Candidate
            {
                RelativeName = relative, Size = size, LastWriteUtc = written, StableSince = since, FirstSeen = arrived, NotBefore = now, Seen = true,
            };
            return;
        }
        c.Seen = true;
        if (c.Size != size || c.LastWriteUtc != written)
        {
            c.Size = size;
            c.LastWriteUtc = written;
            c.StableSince = now;
        }
    }

    /// <summary>Candidates whose size and time stamp have held for StableFor, checked again on disk now.</summary>
    private List<(string Path, Candidate Candidate)> TakeReady(DateTimeOffset now)
    {
        var stableFor = options.Value.StableFor;
        var ready = new List<(string, Candidate)>();
        foreach (var (path, c) in _candidates.OrderBy(kv => kv.Value.FirstSeen).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (now < c.NotBefore || now - c.StableSince < stableFor) continue;
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                c.Seen = false;
                continue;
            }
            if (info.Length != c.Size || info.LastWriteTimeUtc != c.LastWriteUtc)
            {
                c.Size = info.Length;
                c.LastWriteUtc = info.LastWriteTimeUtc;
                c.StableSince = now;
                continue;
            }
            ready.Add((path, c));
            if (ready.Count >= BatchSize) break;
        }
        foreach (var gone in _candidates.Where(kv => !kv.Value.Seen).Select(kv => kv.Key).ToList()) _candidates.Remove(gone);
        return ready;
    }

    private async Task ProcessAsync(List<(string Path, Candidate Candidate)> ready, CancellationToken ct)
    {
        var students = await StudentDirectory.LoadAsync(database, ct);
        if (students.Count == 0)
        {
            // Before the first roster import every file would look unmatched; let them wait in the inbox instead.
            if (!_warnedNoRoster)
                logger.LogWarning("Intake: no roster imported yet; {Count} file(s) wait in the inbox until one is (import-roster or roster-inbox/)", ready.Count);
            _warnedNoRoster = true;
            var retry = time.GetUtcNow() + options.Value.RetryLockedEvery;
            foreach (var (_, c) in ready) c.NotBefore = retry;
            return;
        }
        _warnedNoRoster = false;
        // The entry's kind is read now, just before the file is handled, without opening it.
        var files = ready.Select(r => (r.Candidate, File: new InboxFile(r.Path, r.Candidate.RelativeName, r.Candidate.Size, r.Candidate.LastWriteUtc,
            r.Candidate.FirstSeen, FileKind.Of(r.Path)))).ToList();

        // One student's files are taken one after another, oldest first, so the newest upload is the
        // current one; different students' files are taken in parallel.
        var groups = files
            .Select(f => (f.Candidate, f.File, Match: processor.Match(f.File, students)))
            .GroupBy(f => f.Match.Student?.Id is { } id ? $"student:{id}" : $"file:{f.File.FullPath}")
            .Select(g => g.ToList())
            .ToList();

        int full = 0, done = 0;
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallel, CancellationToken = ct },
            async (group, token) =>
            {
                foreach (var (candidate, file, match) in group)
                {
                    IntakeOutcome outcome;
                    try
                    {
                        outcome = await processor.ProcessAsync(file, match, token);
                    }
                    catch (Exception e) when (DiskSpace.IsFull(e))
                    {
                        outcome = IntakeOutcome.DiskFull;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        // The whole exception once per file; later failures of the same file only count towards ReportLockedAfter.
                        if (candidate.FailedAttempts == 0)
                            logger.LogError(e, "Intake {File}: failed; left in the inbox and tried again", LogText.Name(file.RelativeName));
                        outcome = IntakeOutcome.Locked;
                    }
                    if (outcome == IntakeOutcome.DiskFull) Interlocked.Increment(ref full);
                    else if (outcome != IntakeOutcome.Locked) Interlocked.Increment(ref done);
                    lock (_candidates) Settle(file, candidate, outcome);
                }
            });
        if (full > 0) DiskIsFull();
        else if (done > 0 && _diskFull) DiskHasSpace();
    }

    private void DiskIsFull()
    {
        _diskBackoff = _diskFull ? TimeSpan.FromTicks(Math.Min(_diskBackoff.Ticks * 2, MaxDiskFullBackoff.Ticks)) : options.Value.RetryLockedEvery;
        if (!_diskFull) LogDiskFull(paths.Root, DiskSpace.FreeText(paths.Root), DiskSpace.Words(_diskBackoff), DiskSpace.Words(MaxDiskFullBackoff));
        _diskFull = true;
        _pausedUntil = time.GetUtcNow() + _diskBackoff;
    }

    private void DiskHasSpace()
    {
        _diskFull = false;
        LogDiskSpaceBack(paths.Root, DiskSpace.FreeText(paths.Root));
    }

    private void Settle(InboxFile file, Candidate candidate, IntakeOutcome outcome)
    {
        var now = time.GetUtcNow();
        switch (outcome)
        {
            case IntakeOutcome.Locked:
                candidate.FailedAttempts++;
                candidate.NotBefore = now + options.Value.RetryLockedEvery;
                if (candidate.FailedAttempts == options.Value.ReportLockedAfter)
                    LogLocked(file.RelativeName, "Locked", candidate.FailedAttempts, options.Value.RetryLockedEvery);
                break;
            case IntakeOutcome.Stalled:
                candidate.FailedAttempts++;
                candidate.NotBefore = now + options.Value.StalledRetryEvery;
                if (candidate.FailedAttempts == 1)
                    LogStalled(LogText.Name(file.RelativeName), options.Value.OpenTimeout, options.Value.StalledRetryEvery);
                break;
            case IntakeOutcome.ClaimedElsewhere:
                // Another node has it: if that node finishes, the next scan finds the file gone; if it dies, its claim expires.
                candidate.NotBefore = now + options.Value.RetryLockedEvery;
                break;
            case IntakeOutcome.DiskFull:
                // Nothing was lost (a half-written archive copy is removed); the file waits in the inbox.
                break;
            case IntakeOutcome.Changed:
                // Still being written: it must settle again, and is not looked at in a tight loop meanwhile.
                candidate.StableSince = now;
                candidate.NotBefore = now + ChangedBackoff;
                break;
            default:
                _candidates.Remove(file.FullPath);
                break;
        }
    }

    private bool IsIgnored(FileSystemInfo entry)
    {
        // Symbolic links are never followed: a link could point anywhere on the server.
        if (entry.LinkTarget is not null || entry.Attributes.HasFlag(FileAttributes.ReparsePoint)) return true;
        var name = entry.Name;
        foreach (var pattern in options.Value.Ignored)
            if (FileSystemName.MatchesSimpleExpression(pattern, name, ignoreCase: true)) return true;
        return false;
    }

    private bool InIgnoredFolder(string path)
    {
        var relative = Path.GetRelativePath(paths.Inbox, Path.GetDirectoryName(path)!);
        if (relative == ".") return false;
        if (!options.Value.Recursive) return true;
        foreach (var segment in relative.Split(Path.DirectorySeparatorChar))
            foreach (var pattern in options.Value.Ignored)
                if (FileSystemName.MatchesSimpleExpression(pattern, segment, ignoreCase: true)) return true;
        return false;
    }

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error,
        Message = "Intake {File}: opening it did not finish within {OpenTimeout} (a hung network share or a device?); the other files go on, and it is tried again every {RetryEvery}. 打开该文件超时，其他文件照常接收。")]
    private partial void LogStalled(string file, TimeSpan openTimeout, TimeSpan retryEvery);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error,
        Message = "磁盘已满：数据目录 {DataDirectory} 所在磁盘剩余 {Free}，照片无法保存。接收已暂停，文件都留在 inbox 中，{Backoff} 后重试（之后间隔加倍，最长 {MaxBackoff}）。请腾出磁盘空间。 / The disk holding the data directory {DataDirectory} is full ({Free} free): photos cannot be saved. Intake is paused, every file stays in the inbox, and it tries again in {Backoff} (then less often, at most every {MaxBackoff}). Free some disk space.")]
    private partial void LogDiskFull(string dataDirectory, string free, string backoff, string maxBackoff);

    // A warning, so that whoever sees only warnings and errors also learns the error above is over.
    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning,
        Message = "磁盘空间已恢复（{DataDirectory} 剩余 {Free}），继续接收照片。 / Disk space is available again ({Free} free on {DataDirectory}); intake goes on.")]
    private partial void LogDiskSpaceBack(string dataDirectory, string free);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error,
        Message = "Intake {File}: {Outcome} could not be opened exclusively or read after {Attempts} attempts; it stays in the inbox and is tried again every {RetryEvery}. Check what holds it or its permissions.")]
    private partial void LogLocked(string file, string outcome, int attempts, TimeSpan retryEvery);
}
