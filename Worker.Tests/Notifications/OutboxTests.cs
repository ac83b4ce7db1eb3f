using CollectionWorker.Notifications;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CollectionWorker.Tests.Notifications;

/// <summary>The outbox on both stores: the same SQL, SQLite as written, PostgreSQL rewritten per command.</summary>
[Collection(PostgresCollection.Name)]
public class OutboxTests(PostgresServer server)
{
    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.PostgreSql)]
    public async Task A_key_is_enqueued_once_and_only_with_its_transaction(StoreProvider provider)
    {
        using var dir = new TempDirectory();
        var db = provider == StoreProvider.Sqlite ? new Database(dir.File("collection.db")) : await server.CreateStoreAsync();
        await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync();
        var outbox = new Outbox(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new SmtpOptions { From = "教务处 <jwc@Example.edu.cn>" }));
        var message = new OutboxMessage("expired:42", "expiry-notice", "wang@example.edu.cn", "王老师", new { Student = "张三" });

        await using var c = await db.OpenAsync();
        await using (var rolledBack = await c.BeginTransactionAsync())
        {
            Assert.True(await outbox.EnqueueAsync(c, rolledBack, message));
            await rolledBack.RollbackAsync();
        }
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox"));

        await using (var tx = await c.BeginTransactionAsync())
        {
            Assert.True(await outbox.EnqueueAsync(c, tx, message));
            Assert.False(await outbox.EnqueueAsync(c, tx, message with { Recipient = "other@example.edu.cn" }));
            await tx.CommitAsync();
        }
        var row = await c.QuerySingleAsync("SELECT * FROM outbox");
        Assert.Equal("wang@example.edu.cn", (string)row.recipient);
        Assert.Equal("{\"student\":\"张三\"}", (string)row.data);
        var installation = await c.ExecuteScalarAsync<string>("SELECT store_id FROM store_info") ?? "";
        Assert.Matches("^[0-9a-f]{32}$", installation);
        Assert.Equal(Outbox.MessageIdFor("expired:42", installation, "jwc@example.edu.cn"), (string)row.message_id);
        Assert.Matches($"^[0-9a-f]{{32}}\\.{installation[..16]}@example\\.edu\\.cn$", (string)row.message_id);
        Assert.Equal("pending", (string)row.state);
    }
}
