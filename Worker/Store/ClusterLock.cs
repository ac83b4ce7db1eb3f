using Dapper;
using Npgsql;

namespace CollectionWorker.Store;

/// <summary>
/// For work that one node at a time should do however long it takes (the automatic export, the scheduled
/// review sheet, the roster inbox): a PostgreSQL session advisory lock, tried without waiting. The
/// database releases it when the holder lets go or its connection ends, so a node killed mid-export frees
/// it at once. On a SQLite store (one node) it is always granted.
/// </summary>
public sealed class ClusterLock : IAsyncDisposable
{
    private readonly NpgsqlConnection? _session;
    private readonly string _name;

    private ClusterLock(NpgsqlConnection? session, string name)
    {
        _session = session;
        _name = name;
    }

    /// <summary>The lock, or null when another node holds it now (that node is doing the work).</summary>
    public static async Task<ClusterLock?> TryAcquireAsync(Database database, string name, CancellationToken ct = default)
    {
        if (!database.IsShared) return new ClusterLock(null, name);
        var session = await database.OpenPostgresAsync(ct);
        if (await session.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(hashtext(@name))", new { name }))
            return new ClusterLock(session, name);
        await session.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is null) return;
        try
        {
            await _session.ExecuteAsync("SELECT pg_advisory_unlock(hashtext(@name))", new { name = _name });
        }
        finally
        {
            await _session.DisposeAsync(); // closing the session would release it anyway
        }
    }
}
