using CollectionWorker.Store;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Store.Postgres;

/// <summary>The one-node-at-a-time lock for long work (automatic export, scheduled review sheet, roster inbox).</summary>
[Collection(PostgresCollection.Name)]
public class ClusterLockTests(PostgresServer server)
{
    [Fact]
    public async Task One_node_holds_it_until_it_lets_go_or_its_session_ends()
    {
        var connection = await server.CreateDatabaseAsync();
        using var a = Database.OnPostgres(connection, nodeName: "a");
        using var b = Database.OnPostgres(connection, nodeName: "b");

        var held = await ClusterLock.TryAcquireAsync(a, "auto-export");
        Assert.NotNull(held);
        Assert.Null(await ClusterLock.TryAcquireAsync(b, "auto-export"));
        await using (var other = await ClusterLock.TryAcquireAsync(b, "review-export")) Assert.NotNull(other); // another name, another lock
        await held!.DisposeAsync();
        var taken = await ClusterLock.TryAcquireAsync(b, "auto-export");
        Assert.NotNull(taken);

        // The holder dies without unlocking (its connection is cut, as when a node is killed): the lock is free as soon as its session has ended.
        await using (var admin = new Npgsql.NpgsqlConnection(connection))
        {
            await admin.OpenAsync();
            await using var cut = new Npgsql.NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", admin);
            Assert.Equal(1L, await cut.ExecuteScalarAsync());
        }
        // pg_terminate_backend only signals the backend: its locks go when it has exited, a moment later.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var after = await ClusterLock.TryAcquireAsync(a, "auto-export");
        while (after is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            after = await ClusterLock.TryAcquireAsync(a, "auto-export");
        }
        Assert.NotNull(after);
        await after!.DisposeAsync();
    }

    [Fact]
    public async Task On_sqlite_there_is_one_node_and_it_is_always_granted()
    {
        using var dir = new TempDirectory();
        var db = new Database(dir.File("collection.db"));
        await using var first = await ClusterLock.TryAcquireAsync(db, "auto-export");
        await using var second = await ClusterLock.TryAcquireAsync(db, "auto-export");
        Assert.NotNull(first);
        Assert.NotNull(second);
    }
}
