using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CollectionWorker.Tests.Store.Postgres;

/// <summary>The store on a real PostgreSQL server: the migrations, the compatibility functions, the types the stages read.</summary>
[Collection(PostgresCollection.Name)]
public class PostgresStoreTests(PostgresServer server)
{
    [Fact]
    public async Task The_sqlite_migrations_apply_on_postgres_once_and_rerun_as_a_no_op()
    {
        var db = await server.CreateStoreAsync();
        Assert.Equal(Migrator.All.Count, await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync());
        Assert.Equal(0, await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync());
        Assert.Equal(Migrator.Newest, await new Migrator(db, NullLogger<Migrator>.Instance).CurrentVersionAsync());

        await using var c = await db.OpenAsync();
        Assert.Matches("^[0-9a-f]{32}$", await c.ExecuteScalarAsync<string>("SELECT store_id FROM store_info WHERE id = 1"));
        // Identity columns: ids come from the database, as SQLite's rowid did.
        var first = await c.ExecuteScalarAsync<long>("INSERT INTO audit_log (at, actor, action, subject) VALUES ('2022-05-05T00:00:00.000Z', 't', 'a', 's') RETURNING id");
        var second = await c.ExecuteScalarAsync<long>("INSERT INTO audit_log (at, actor, action, subject) VALUES ('2022-05-05T00:00:00.000Z', 't', 'a', 's') RETURNING id");
        Assert.Equal(first + 1, second);
        Assert.Equal(second, await c.ExecuteScalarAsync<long>("SELECT last_insert_rowid()"));
        // Integer columns are BIGINT, the type SQLite readers get; booleans and small integers come back as Int64.
        Assert.Equal("bigint", await c.ExecuteScalarAsync<string>(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'students' AND column_name = 'eligible'"));
        var row = await c.QuerySingleAsync<(long One, long True, double Half, string Hex)>("SELECT 1, 1 = 1, CAST(0.5 AS REAL), hex(randomblob(4))");
        Assert.Equal((1L, 1L, 0.5), (row.One, row.True, row.Half));
        Assert.Matches("^[0-9A-F]{8}$", row.Hex);
        // The NOCASE collation the status verb's teacher filter uses.
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM (SELECT 'Wang@Example.edu.cn' AS e) x WHERE e = 'wang@example.EDU.cn' COLLATE NOCASE"));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'submission_flags'"));
        Assert.Equal(["b", "a"], await c.QueryAsync<string>("SELECT value FROM json_each(@list) ORDER BY key DESC", new { list = "[\"a\",\"b\"]" }));
    }

    [Fact]
    public async Task Boolean_parameters_go_into_integer_columns_as_zero_and_one()
    {
        var db = await server.CreateStoreAsync();
        await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync();
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO students (student_number, national_id, name, gender, birth_date, grade, major, class_name, school, track,
                                  teacher_name, teacher_email, eligible, in_roster, created_at, updated_at)
            VALUES ('1', '2', 'n', '男', '2001-01-01', '20级', 'm', 'c', 's', '', 't', 't@x.cn', @yes, @no, 'now', 'now')
            """, new { yes = true, no = false });
        Assert.Equal((1L, 0L), await c.QuerySingleAsync<(long, long)>("SELECT eligible, in_roster FROM students"));
    }

    [Fact]
    public async Task Dapper_lists_work_empty_and_full_for_numbers_and_text()
    {
        var db = await server.CreateStoreAsync();
        await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync();
        await using var c = await db.OpenAsync();
        for (var i = 0; i < 3; i++)
            await c.ExecuteAsync("INSERT INTO audit_log (at, actor, action, subject) VALUES ('t', 'a', @action, 's')", new { action = $"a{i}" });
        Assert.Equal(3, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE id NOT IN @skip", new { skip = Array.Empty<long>() }));
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE action IN @names", new { names = Array.Empty<string>() }));
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE id NOT IN @skip", new { skip = new long[] { 1 } }));
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE action IN @names", new { names = new[] { "a0", "a2" } }));
    }

    [Fact]
    public async Task Nodes_starting_together_migrate_once()
    {
        var connection = await server.CreateDatabaseAsync();
        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            new Migrator(Database.OnPostgres(connection, nodeName: $"node{i}"), NullLogger<Migrator>.Instance).ApplyAsync()));
        Assert.Equal(Migrator.All.Count, applied.Sum());
        Assert.Equal(1, applied.Count(a => a > 0));
    }

    [Fact]
    public async Task An_unreachable_server_is_said_plainly_naming_the_database()
    {
        var unreachable = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = 1, Database = "collection", Username = "cw", Timeout = 3 }.ToString();
        using var dir = new TempDirectory();
        var db = Database.OnPostgres(unreachable);
        var paths = new DataPaths(Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = dir.Path }), new DataDirectoryBase(dir.Path));
        var e = await Assert.ThrowsAsync<StoreUnusableException>(() => new StoreOpening(db, paths, new Migrator(db, NullLogger<Migrator>.Instance)).OpenAsync());
        Assert.Contains("PostgreSQL database collection on 127.0.0.1:1", e.Message);
        Assert.Contains("Storage:ConnectionString", e.Message);
    }
}
