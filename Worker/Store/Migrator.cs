using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Store;

/// <summary>
/// Applies the numbered SQL scripts embedded from Store/Migrations, each in its own transaction,
/// recording them in schema_migrations. Re-running is a no-op; a database written by a newer
/// version of the worker is refused rather than guessed at.
/// </summary>
public sealed partial class Migrator(Database database, ILogger<Migrator> logger, TimeProvider? time = null)
{
    /// <summary>
    /// One numbered script. <paramref name="PostgresSql"/> replaces it on PostgreSQL where SQLite needs a way PostgreSQL
    /// cannot take (0012 rebuilds submissions to drop a constraint; PostgreSQL drops it in place, keeping every reference):
    /// the file beside it named <c>NNNN_name.postgresql.sql</c>.
    /// </summary>
    public sealed record Migration(int Version, string Name, string Sql, string? PostgresSql = null);

    public static IReadOnlyList<Migration> All { get; } = LoadEmbedded();

    /// <summary>Any fixed number: every node of a cluster takes this PostgreSQL advisory lock to migrate, one after the other.</summary>
    private const long MigrationLock = 0x436f6c6c_6563744d; // "CollectM"

    public async Task<int> ApplyAsync(CancellationToken ct = default)
    {
        if (database.Provider == StoreProvider.PostgreSql)
        {
            // Several nodes may start at once: the first migrates, the others wait and then find nothing to do.
            await using var session = await database.OpenPostgresAsync(ct);
            await session.ExecuteAsync("SELECT pg_advisory_lock(@MigrationLock)", new { MigrationLock });
            try
            {
                await session.ExecuteAsync(Postgres.PostgresCompatibility.Sql);
                return await ApplyPendingAsync(ct);
            }
            finally
            {
                await session.ExecuteAsync("SELECT pg_advisory_unlock(@MigrationLock)", new { MigrationLock });
            }
        }
        return await ApplyPendingAsync(ct);
    }

    /// <summary>The newest schema version this worker knows.</summary>
    public static int Newest => All.Count == 0 ? 0 : All[^1].Version;

    /// <summary>The store's schema version (0 when it has none yet), without changing anything.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // Read-only: on PostgreSQL the migrator's sqlite_master view may not exist yet, so ask the catalogue.
        var exists = await connection.ExecuteScalarAsync<long>(database.Provider == StoreProvider.PostgreSql
            ? "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") > 0;
        return exists ? await connection.ExecuteScalarAsync<int?>("SELECT max(version) FROM schema_migrations") ?? 0 : 0;
    }

    private async Task<int> ApplyPendingAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // WAL persists in the file: readers never block the writer, and a crash keeps the last commit (SQLite only).
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);");

        var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
        var newest = All.Count == 0 ? 0 : All[^1].Version;
        var unknown = applied.Where(v => v > newest).ToList();
        if (unknown.Count > 0)
            throw new StoreUnusableException(
                $"存储文件 {database.File} 的结构版本 {unknown.Max()} 比本程序认识的 ({newest}) 新：请运行较新的版本，或从备份恢复。 The database {database.File} has schema version {unknown.Max()}, newer than this worker knows ({newest}). Run the newer worker, or restore a backup.");

        var count = 0;
        var sqlite = database.Provider == StoreProvider.Sqlite;
        // SQLite: off while a script runs, so that one may rebuild a table that others reference (SQLite's way of
        // dropping a constraint); every key is checked again before the script's transaction commits.
        // PostgreSQL keeps its keys on and drops a constraint directly (see Migration.PostgresSql).
        if (sqlite) await connection.ExecuteAsync("PRAGMA foreign_keys=OFF;");
        try
        {
            foreach (var m in All.Where(m => !applied.Contains(m.Version)))
            {
                await ApplyOneAsync(connection, m, sqlite, ct);
                count++;
            }
        }
        finally
        {
            if (sqlite) await connection.ExecuteAsync("PRAGMA foreign_keys=ON;");
        }
        return count;
    }

    private async Task ApplyOneAsync(System.Data.Common.DbConnection connection, Migration m, bool sqlite, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        // The app's clock, so that a store created under a test clock (or a demo) has that creation time.
        var now = UtcTimestamp.ToText((time ?? TimeProvider.System).GetUtcNow());
        await connection.ExecuteAsync(sqlite ? m.Sql : m.PostgresSql ?? m.Sql, new { Now = now }, tx);
        if (sqlite)
        {
            var broken = (await connection.QueryAsync<(string Table, long? RowId, string Parent)>(
                "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check", transaction: tx)).ToList();
            if (broken.Count > 0)
                throw new StoreUnusableException(
                    $"存储升级 {m.Version} {m.Name} 会破坏表之间的引用（{broken.Count} 处，例如 {broken[0].Table} 第 {broken[0].RowId} 行指向 {broken[0].Parent}），未做任何更改。 " +
                    $"Store migration {m.Version} {m.Name} would break {broken.Count} reference(s) between tables (e.g. {broken[0].Table} row {broken[0].RowId} → {broken[0].Parent}); nothing was changed.");
        }
        await connection.ExecuteAsync(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
            new { m.Version, m.Name, At = now }, tx);
        await tx.CommitAsync(ct);
        logger.LogInformation("Applied store migration {Version} {Name}", m.Version, m.Name);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(Migrator).Assembly;
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd(),
                ReadResource(assembly, resource[..^".sql".Length] + ".postgresql.sql")));
        }
        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < list.Count; i++)
            if (list[i].Version == list[i - 1].Version)
                throw new InvalidOperationException($"Two store migrations share version {list[i].Version}.");
        return list;
    }

    private static string? ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"Migrations\.(\d{4})_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();
}
