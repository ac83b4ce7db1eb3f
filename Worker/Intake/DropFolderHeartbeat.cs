using CollectionWorker.Store;
using Dapper;

namespace CollectionWorker.Intake;

/// <summary>
/// The drop folder's last-seen time: when the service last finished a full scan of inbox/. A file
/// first found after a start was not there at that scan, so it arrived after it; its modification
/// time says when, but only as far back as this bound (a copy that kept an old time, <c>cp -p</c>,
/// cannot make itself early) and never later than now. See <see cref="ArrivedAt"/>.
/// </summary>
public sealed class DropFolderHeartbeat(Database database)
{
    private const string Name = "drop-folder";

    public async Task<DateTimeOffset?> LastSeenAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        var text = await c.ExecuteScalarAsync<string?>("SELECT last_seen FROM service_heartbeat WHERE name = @Name", new { Name });
        return text is null ? null : UtcTimestamp.Parse(text);
    }

    /// <summary>Records that every file in the folder at <paramref name="scannedAt"/> has been seen; never moves the time back.</summary>
    public async Task BeatAsync(DateTimeOffset scannedAt, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync(
            """
            INSERT INTO service_heartbeat (name, last_seen) VALUES (@Name, @at)
            ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen WHERE excluded.last_seen > service_heartbeat.last_seen
            """, new { Name, at = UtcTimestamp.ToText(scannedAt) });
    }

    /// <summary>
    /// When a file found at start, while the service was down, arrived: its modification time, but not
    /// before the last scan that did not see it (<paramref name="lastSeen"/>) and not after <paramref name="now"/>.
    /// Without a last scan (the very first start) nothing bounds it: it counts as arriving now.
    /// </summary>
    public static DateTimeOffset ArrivedAt(DateTime lastWriteUtc, DateTimeOffset? lastSeen, DateTimeOffset now)
    {
        if (lastSeen is not { } bound) return now;
        var written = new DateTimeOffset(DateTime.SpecifyKind(lastWriteUtc, DateTimeKind.Utc));
        if (written < bound) written = bound;
        return written > now ? now : written;
    }
}
