using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Store;

/// <summary>
/// Opens the store at start: refuses to create an empty store beside an archive of photos, brings the
/// schema up to date, checks the file is sound (PRAGMA quick_check), and pins the file's identity so
/// that a store deleted or replaced while running is noticed. Every failure is a
/// <see cref="StoreUnusableException"/> saying how to restore, never a raw SQLite error.
/// </summary>
public sealed class StoreOpening(Database database, DataPaths paths, Migrator migrator)
{
    // SQLITE_CORRUPT and SQLITE_NOTADB: the file is damaged or is not a database at all.
    private const int Corrupt = 11;
    private const int NotADatabase = 26;

    public static bool IsDamage(SqliteException e) => e.SqliteErrorCode is Corrupt or NotADatabase;

    public async Task OpenAsync(CancellationToken ct = default)
    {
        if (database.Provider == StoreProvider.PostgreSql)
        {
            await OpenPostgresAsync(ct);
            return;
        }
        var existed = File.Exists(database.File);
        if (!existed && ArchivedPhotos() is > 0 and var before)
            throw new StoreUnusableException(StoreMessages.MissingBesideArchive(paths.Root, database.File, before));
        try
        {
            await migrator.ApplyAsync(ct);
            await using var connection = await database.OpenAsync(ct);
            var verdict = string.Join("; ", await connection.QueryAsync<string>("PRAGMA quick_check"));
            if (verdict != "ok") throw new StoreUnusableException(StoreMessages.Damaged(database.File, verdict));
            var uploads = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions");
            if (uploads == 0 && ArchivedPhotos() is > 0 and var photos)
                throw new StoreUnusableException(StoreMessages.EmptyBesideArchive(paths.Root, database.File, photos));
        }
        catch (SqliteException e) when (IsDamage(e))
        {
            throw new StoreUnusableException(StoreMessages.Damaged(database.File, e.Message), e);
        }
        database.PinIdentity();
    }

    /// <summary>
    /// PostgreSQL keeps its own house (no file to check or pin): bring the schema up to date and apply the
    /// same rule as for a file, that an empty store beside an archive of photos is not the archive's store.
    /// A server that cannot be reached or refuses the login is a <see cref="StoreUnusableException"/> naming the database.
    /// </summary>
    private async Task OpenPostgresAsync(CancellationToken ct)
    {
        try
        {
            await migrator.ApplyAsync(ct);
            await using var connection = await database.OpenAsync(ct);
            var uploads = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions");
            if (uploads == 0 && ArchivedPhotos() is > 0 and var photos)
                throw new StoreUnusableException(StoreMessages.EmptyBesideArchive(paths.Root, database.File, photos));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StoreUnusableException(StoreMessages.PostgresUnreachable(database.File, e.Message), e);
        }
    }

    private int ArchivedPhotos() =>
        Directory.Exists(paths.Archive) ? Directory.EnumerateFiles(paths.Archive, "*", SearchOption.AllDirectories).Count() : 0;
}
