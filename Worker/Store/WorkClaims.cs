using Dapper;

namespace CollectionWorker.Store;

/// <summary>
/// Who does which piece of work when several nodes share a PostgreSQL store: a node claims an item (an
/// intake file, a submission to inspect, a review sheet) in the database before it starts, and only the
/// node holding the claim does the work. A claim lasts Storage:ClaimTimeout; a node killed mid-item
/// leaves its claim, which another node takes over once it has expired. One statement, portable SQL
/// (an insert that may take over an expired row), so two nodes claiming at once cannot both win.
/// A SQLite store has one node: <see cref="Database.IsShared"/> is false and callers skip claiming.
/// </summary>
public sealed class WorkClaims(Database database, TimeProvider time)
{
    public const string IntakeFile = "intake-file";
    public const string Inspection = "inspection";
    public const string ReviewImport = "review-import";

    /// <summary>True when this node now holds the claim (new, expired and taken over, or already its own).</summary>
    public async Task<bool> TryClaimAsync(string kind, string item, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var c = await database.OpenAsync(ct);
        var owner = await c.ExecuteScalarAsync<string?>(
            """
            INSERT INTO work_claims (kind, item, owner, claimed_at, expires_at) VALUES (@kind, @item, @owner, @now, @expires)
            ON CONFLICT (kind, item) DO UPDATE SET owner = excluded.owner, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
            WHERE work_claims.expires_at <= excluded.claimed_at OR work_claims.owner = excluded.owner
            RETURNING owner
            """,
            new { kind, item, owner = database.NodeName, now = UtcTimestamp.ToText(now), expires = UtcTimestamp.ToText(now + database.ClaimTimeout) });
        return owner is not null;
    }

    /// <summary>Gives the claim up (the work is done, or failed and may be tried again by any node), and clears expired claims of that kind.</summary>
    public async Task ReleaseAsync(string kind, string item, CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        // Expired claims of dead nodes whose work was finished anyway (killed after the work, before letting go) go too.
        await c.ExecuteAsync("DELETE FROM work_claims WHERE kind = @kind AND ((item = @item AND owner = @owner) OR expires_at <= @now)",
            new { kind, item, owner = database.NodeName, now = UtcTimestamp.ToText(time.GetUtcNow()) });
    }

    /// <summary>The items of a kind other nodes hold unexpired claims on (to pass over them without trying each).</summary>
    public async Task<HashSet<string>> HeldElsewhereAsync(string kind, CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<string>("SELECT item FROM work_claims WHERE kind = @kind AND owner <> @owner AND expires_at > @now",
            new { kind, owner = database.NodeName, now = UtcTimestamp.ToText(time.GetUtcNow()) })).ToHashSet(StringComparer.Ordinal);
    }
}
