using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CollectionWorker.Tests.Store;

public class MigratorTests
{
    [Fact]
    public async Task Migrations_apply_once_and_rerun_as_a_no_op_on_an_existing_database()
    {
        using var dir = new TempDirectory();
        var db = new Database(dir.File("collection.db"));
        var migrator = new Migrator(db, NullLogger<Migrator>.Instance);

        Assert.Equal(Migrator.All.Count, await migrator.ApplyAsync());
        await using (var c = await db.OpenAsync())
        {
            await c.ExecuteAsync("INSERT INTO audit_log (at, actor, action, subject) VALUES ('2022-05-05T00:00:00.000Z', 't', 'a', 's')");
        }

        // A second start (new objects, same file) applies nothing and keeps the data.
        var again = new Migrator(new Database(dir.File("collection.db")), NullLogger<Migrator>.Instance);
        Assert.Equal(0, await again.ApplyAsync());
        await using var connection = await db.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log"));
        Assert.Equal(Migrator.All.Count, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public async Task A_database_from_a_newer_worker_is_refused()
    {
        using var dir = new TempDirectory();
        var db = new Database(dir.File("collection.db"));
        await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync();
        await using (var c = await db.OpenAsync())
            await c.ExecuteAsync("INSERT INTO schema_migrations VALUES (9999, 'future', '2030-01-01T00:00:00.000Z')");

        var e = await Assert.ThrowsAsync<StoreUnusableException>(() => new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync());
        Assert.Contains("9999", e.Message);
    }

    [Fact]
    public async Task Timestamps_round_trip_as_utc_through_dapper()
    {
        using var dir = new TempDirectory();
        var db = new Database(dir.File("collection.db"));
        await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync();
        var local = new DateTimeOffset(2022, 5, 5, 8, 30, 15, 123, TimeSpan.FromHours(8));
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("INSERT INTO audit_log (at, actor, action, subject) VALUES (@at, 't', 'a', 's')", new { at = UtcTimestamp.ToText(local) });
        Assert.Equal("2022-05-05T00:30:15.123Z", await c.ExecuteScalarAsync<string>("SELECT at FROM audit_log"));
        var back = await c.ExecuteScalarAsync<DateTimeOffset>("SELECT at FROM audit_log");
        Assert.Equal(local, back);
        Assert.Equal(TimeSpan.Zero, back.Offset);
        var nullable = await c.ExecuteScalarAsync<DateTimeOffset?>("SELECT at FROM audit_log");
        Assert.Equal(local, nullable);
    }
}
