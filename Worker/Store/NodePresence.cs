using Dapper;
using Npgsql;

namespace CollectionWorker.Store;

/// <summary>
/// The PostgreSQL counterpart of the data directory's lock file: every running node (<c>run</c>) holds a shared
/// advisory lock on one key for its whole life, on a connection of its own named after the node
/// (<c>application_name</c> = <see cref="Database.NodeName"/>, host:pid); <c>purge</c> takes the same key
/// exclusively, so it runs only while no node runs, and no node starts while it runs. The server drops a
/// session's locks when its connection ends, so a killed node never leaves a stale one (as with the lock file).
/// </summary>
public sealed class NodePresence : IAsyncDisposable
{
    // pg_advisory_lock(int, int): the two-key form, so it cannot meet ClusterLock's hashtext(name) keys.
    private const int KeySpace = 20221, NodesKey = 1;

    private readonly NpgsqlConnection _session;

    private NodePresence(NpgsqlConnection session) => _session = session;

    /// <summary>A node starts: joins the running nodes. Refused while a purge holds the store.</summary>
    public static Task<NodePresence> JoinAsync(Database database, CancellationToken ct) =>
        TakeAsync(database, "pg_try_advisory_lock_shared", holders => new StoreUnusableException(
            $"存储 {database.File} 正在被 purge 清理（{holders}）：等它结束后再启动。 The store {database.File} is being purged ({holders}): start the node once the purge has finished."), ct);

    /// <summary>purge: the store to itself, or an exception naming the running nodes.</summary>
    public static Task<NodePresence> TakeAloneAsync(Database database, CancellationToken ct) =>
        TakeAsync(database, "pg_try_advisory_lock", holders => new StoreInUseException(
            $"存储 {database.File} 正被运行中的服务节点使用（{holders}）：请先停止所有节点。 " +
            $"The store {database.File} is in use by running node(s) ({holders}): stop every node first (systemctl stop collection-worker on each server)."), ct);

    private static async Task<NodePresence> TakeAsync(Database database, string tryLock, Func<string, Exception> refused, CancellationToken ct)
    {
        var session = await OpenAsync(database, ct);
        if (await session.ExecuteScalarAsync<bool>($"SELECT {tryLock}(@KeySpace, @NodesKey)", new { KeySpace, NodesKey }))
            return new NodePresence(session);
        var holders = await HoldersAsync(session);
        await session.DisposeAsync();
        throw refused(holders);
    }

    private static async Task<NpgsqlConnection> OpenAsync(Database database, CancellationToken ct)
    {
        var session = await database.OpenPostgresAsync(ct);
        await session.ExecuteAsync("SELECT set_config('application_name', @name, false)", new { name = database.NodeName });
        return session;
    }

    /// <summary>"node host:1234 from 10.0.0.5, …": who holds the key now.</summary>
    private static async Task<string> HoldersAsync(NpgsqlConnection session)
    {
        var rows = await session.QueryAsync<(string? Name, string? Address)>(
            """
            SELECT a.application_name, host(a.client_addr) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = @KeySpace AND l.objid = @NodesKey AND l.objsubid = 2
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY a.application_name
            """, new { KeySpace, NodesKey });
        var names = rows.Select(r => $"{(string.IsNullOrEmpty(r.Name) ? "?" : r.Name)}{(r.Address is { Length: > 0 } a ? $" from {a}" : "")}").ToList();
        return names.Count == 0 ? "?" : string.Join(", ", names);
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();
}

/// <summary>Running nodes hold the store (PostgreSQL); the message names them.</summary>
public sealed class StoreInUseException(string message) : Exception(message);
