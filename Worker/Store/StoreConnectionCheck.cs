using Dapper;

namespace CollectionWorker.Store;

/// <summary>
/// check-config on a PostgreSQL store: the server answers with the configured login, and the schema is
/// one this worker can use (older is migrated at the next start; newer is refused, as at start).
/// Changes nothing. A SQLite store is a file and is checked when a verb opens it.
/// </summary>
public sealed class StoreConnectionCheck(Database database, Migrator migrator)
{
    public sealed record Result(string? Error, string? Warning);

    public async Task<Result> CheckAsync(CancellationToken ct = default)
    {
        if (database.Provider != StoreProvider.PostgreSql) return new(null, null);
        int version;
        try
        {
            await using (var c = await database.OpenAsync(ct))
                await c.ExecuteScalarAsync<long>("SELECT 1");
            version = await migrator.CurrentVersionAsync(ct);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return new(StoreMessages.PostgresUnreachable(database.File, e.Message), null);
        }
        if (version > Migrator.Newest)
            return new($"{database.File} 的结构版本 {version} 比本程序认识的 ({Migrator.Newest}) 新：请运行较新的版本。 " +
                       $"{database.File} has schema version {version}, newer than this worker knows ({Migrator.Newest}): run the newer worker.", null);
        if (version < Migrator.Newest)
            return new(null, $"{database.File} 的结构版本为 {version}，下次启动时升级到 {Migrator.Newest}。 " +
                             $"{database.File} is at schema version {version}; the next start brings it to {Migrator.Newest}.");
        return new(null, null);
    }
}
