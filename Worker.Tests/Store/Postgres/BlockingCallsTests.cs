using CollectionWorker.Deadlines;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Store.Postgres;

/// <summary>
/// The store's few synchronous entry points (Quartz asks for its data source synchronously) must not wait on work
/// posted back to the caller's synchronization context: under a context whose threads are all busy (xunit's, with
/// one thread per core, when two tests start a node at once) that work never runs, and the wait never ends. The
/// last CI run sat for 90 minutes in the PostgreSQL suite without a word, the way such a deadlock looks.
/// </summary>
[Collection(PostgresCollection.Name)]
public class BlockingCallsTests(PostgresServer server)
{
    [Fact]
    public async Task Quartz_tables_are_made_on_a_thread_whose_context_never_runs_anything_posted_to_it()
    {
        using var database = Database.OnPostgres(await server.CreateDatabaseAsync());
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            SynchronizationContext.SetSynchronizationContext(new BusyContext());
            try { QuartzPostgresSchema.Ensure(database); }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "QuartzPostgresSchema.Ensure waited on its caller's busy synchronization context");
        Assert.Null(failure);
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qrtz\\_%'", connection);
        Assert.True((long)(await count.ExecuteScalarAsync())! >= 10, "Quartz's tables were made");
    }

    /// <summary>A synchronization context whose threads are all taken: what is posted to it waits for ever.</summary>
    private sealed class BusyContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) { }
        public override void Send(SendOrPostCallback d, object? state) => throw new InvalidOperationException("no thread of this context is free");
    }
}
