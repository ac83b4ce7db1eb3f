using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CollectionWorker.Tests.Store;

/// <summary>
/// Claims on both stores: one holder at a time, given up when done, taken over once expired. On PostgreSQL
/// also under a real race: nodes claiming the same item at the same moment, exactly one wins.
/// </summary>
[Collection(PostgresCollection.Name)]
public class WorkClaimsTests(PostgresServer server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private async Task<(Database A, Database B)> NodesAsync(StoreProvider provider, TempDirectory dir)
    {
        if (provider == StoreProvider.Sqlite)
        {
            var file = dir.File("collection.db");
            var a = Database.OnSqlite(file, Timeout, "node-a");
            await new Migrator(a, NullLogger<Migrator>.Instance).ApplyAsync();
            return (a, Database.OnSqlite(file, Timeout, "node-b"));
        }
        var connection = await server.CreateDatabaseAsync();
        var pa = Database.OnPostgres(connection, Timeout, "node-a");
        await new Migrator(pa, NullLogger<Migrator>.Instance).ApplyAsync();
        return (pa, Database.OnPostgres(connection, Timeout, "node-b"));
    }

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.PostgreSql)]
    public async Task One_node_holds_a_claim_until_it_gives_it_up_or_it_expires(StoreProvider provider)
    {
        using var dir = new TempDirectory();
        var (a, b) = await NodesAsync(provider, dir);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2022-05-06T10:00:00Z"));
        WorkClaims onA = new(a, time), onB = new(b, time);

        Assert.True(await onA.TryClaimAsync(WorkClaims.IntakeFile, "x.jpg|1|2"));
        Assert.True(await onA.TryClaimAsync(WorkClaims.IntakeFile, "x.jpg|1|2")); // its own, renewed
        Assert.False(await onB.TryClaimAsync(WorkClaims.IntakeFile, "x.jpg|1|2"));
        Assert.True(await onB.TryClaimAsync(WorkClaims.Inspection, "x.jpg|1|2")); // another kind is another item
        Assert.Equal(["x.jpg|1|2"], await onB.HeldElsewhereAsync(WorkClaims.IntakeFile));

        await onB.ReleaseAsync(WorkClaims.IntakeFile, "x.jpg|1|2"); // not B's to give up
        Assert.False(await onB.TryClaimAsync(WorkClaims.IntakeFile, "x.jpg|1|2"));
        await onA.ReleaseAsync(WorkClaims.IntakeFile, "x.jpg|1|2");
        Assert.True(await onB.TryClaimAsync(WorkClaims.IntakeFile, "x.jpg|1|2"));

        // B is killed holding it: A waits until the claim has expired, then takes the work over.
        time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(await onA.TryClaimAsync(WorkClaims.IntakeFile, "x.jpg|1|2"));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await onA.TryClaimAsync(WorkClaims.IntakeFile, "x.jpg|1|2"));
        Assert.False(await onB.TryClaimAsync(WorkClaims.IntakeFile, "x.jpg|1|2"));
        Assert.Empty(await onA.HeldElsewhereAsync(WorkClaims.IntakeFile));

        // A dead node's expired claim on work finished anyway is cleared by the next release of that kind.
        Assert.True(await onB.TryClaimAsync(WorkClaims.IntakeFile, "y.jpg|1|2"));
        time.Advance(Timeout);
        await onA.ReleaseAsync(WorkClaims.IntakeFile, "x.jpg|1|2");
        Assert.Empty(await onA.HeldElsewhereAsync(WorkClaims.IntakeFile));
        Assert.True(await onA.TryClaimAsync(WorkClaims.IntakeFile, "z.jpg|1|2"));
        time.Advance(TimeSpan.FromMilliseconds(1));
        await using var c = await a.OpenAsync();
        Assert.Equal(["z.jpg|1|2"], await Dapper.SqlMapper.QueryAsync<string>(c, "SELECT item FROM work_claims WHERE kind = 'intake-file'"));
    }

    [Fact]
    public async Task Nodes_racing_for_the_same_items_on_postgres_win_each_exactly_once()
    {
        var connection = await server.CreateDatabaseAsync();
        await new Migrator(Database.OnPostgres(connection), NullLogger<Migrator>.Instance).ApplyAsync();
        var nodes = Enumerable.Range(0, 6).Select(i => new WorkClaims(Database.OnPostgres(connection, Timeout, $"node-{i}"), TimeProvider.System)).ToList();
        var items = Enumerable.Range(0, 40).Select(i => $"file-{i}.jpg|100|{i}").ToList();

        var wins = await Task.WhenAll(nodes.Select(n => Task.Run(async () =>
        {
            var won = new List<string>();
            foreach (var item in items)
                if (await n.TryClaimAsync(WorkClaims.IntakeFile, item)) won.Add(item);
            return won;
        })));

        Assert.Equal(items.OrderBy(i => i), wins.SelectMany(w => w).OrderBy(i => i));
    }
}
