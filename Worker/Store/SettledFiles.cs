namespace CollectionWorker.Store;

/// <summary>
/// Tells which files dropped into an inbox folder are finished: unchanged in size and time stamp for
/// a while, and not held open by anyone (Excel locks a workbook while it is open; a copy in progress
/// holds its file). One instance per watched folder; it remembers what it saw on the previous look.
/// </summary>
public sealed class SettledFiles(TimeProvider time)
{
    private readonly Dictionary<string, (long Size, DateTime Written, DateTimeOffset Since)> _seen = [];

    /// <summary>The candidates that have settled for <paramref name="stableFor"/>; they are forgotten, so each is handed out once.</summary>
    public List<string> Take(IEnumerable<string> candidates, TimeSpan stableFor)
    {
        var now = time.GetUtcNow();
        var present = new HashSet<string>();
        var ready = new List<string>();
        foreach (var file in candidates)
        {
            present.Add(file);
            var info = new FileInfo(file);
            if (!_seen.TryGetValue(file, out var last) || last.Size != info.Length || last.Written != info.LastWriteTimeUtc)
            {
                _seen[file] = (info.Length, info.LastWriteTimeUtc, now);
                if (stableFor > TimeSpan.Zero) continue;
            }
            else if (now - last.Since < stableFor) continue;

            if (!CanOpenExclusively(file)) continue;
            ready.Add(file);
            _seen.Remove(file);
        }
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList()) _seen.Remove(gone);
        return ready;
    }

    private static bool CanOpenExclusively(string file)
    {
        try
        {
            using var _ = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
