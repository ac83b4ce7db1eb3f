using CollectionWorker.Store;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Intake;

/// <summary>
/// The content-addressed archive of original uploads: <c>archive/ab/&lt;sha256&gt;.jpg</c>. A file
/// appears under its final name only complete and flushed to disk (written to a temporary name,
/// fsynced, then renamed), so a crash leaves at worst a temporary file, removed at the next start.
/// A temporary name carries the writing process (host and process id), so on a data directory several nodes
/// share, a restarted node still removes what its own killed process left at once, and another machine's only
/// once they are older than a claim.
/// </summary>
public sealed class PhotoArchive(DataPaths paths, ILogger<PhotoArchive> logger)
{
    private const string TempSuffix = ".partial";

    public string PathFor(string sha256) => Path.Combine(paths.Archive, sha256[..2], sha256 + ".jpg");

    /// <summary>Stores the bytes under their hash unless a complete copy is already there.</summary>
    public async Task StoreAsync(string sha256, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        var final = PathFor(sha256);
        var existing = new FileInfo(final);
        // A file under its final name was renamed there complete; a size mismatch means someone damaged it.
        if (existing.Exists && existing.Length == bytes.Length) return;

        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        var temp = Path.Combine(Path.GetDirectoryName(final)!, $".{sha256}.{Writer}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(bytes, ct);
                // fsync before the rename: the name must never point at bytes still in the page cache only.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, final, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Removes temporary files a crash left behind. With one node, all of them; on a data directory several
    /// nodes share, those of a process of this machine that no longer runs, and the rest only once older than
    /// <paramref name="olderThan"/> (they may be another node's writes in progress).
    /// </summary>
    public int RemoveLeftovers(TimeSpan? olderThan = null)
    {
        if (!Directory.Exists(paths.Archive)) return 0;
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(paths.Archive, "*" + TempSuffix, SearchOption.AllDirectories))
        {
            if (olderThan is { } age && !WriterIsGone(Path.GetFileName(file)) && File.GetLastWriteTimeUtc(file) > DateTime.UtcNow - age) continue;
            if (TryDelete(file)) removed++;
        }
        if (removed > 0) logger.LogInformation("Removed {Count} half-written archive file(s) left by an interrupted run", removed);
        return removed;
    }

    /// <summary>This process as a temporary name carries it: host (letters, digits and '-' only) and process id.</summary>
    private static string Writer => $"{Host}-{Environment.ProcessId}";

    private static string Host => new(Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    /// <summary>
    /// A temporary file ".sha.host-pid.guid.partial" written on this machine by a process that has ended (killed
    /// mid-write). A name without a writer (older versions) or from another machine is never known to be gone.
    /// </summary>
    private static bool WriterIsGone(string name)
    {
        var parts = name.Split('.');
        if (parts.Length != 5) return false;
        var dash = parts[2].LastIndexOf('-');
        if (dash <= 0 || parts[2][..dash] != Host || !int.TryParse(parts[2][(dash + 1)..], out var pid)) return false;
        if (pid == Environment.ProcessId) return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true; // no process with that id any more
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static bool TryDelete(string file)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
