using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Tests.Notifications;

/// <summary>
/// The real service as a child process on a test's folders, killed with SIGKILL while it delivers a
/// batch (after this run delivered something, at a random moment), several times; then a last run
/// that finishes the batch and stops gracefully. What the tests check afterwards: how many had arrived
/// at each kill, and which Message-Ids were in flight (state 'sending') when one fell.
/// </summary>
public static class SenderKills
{
    public sealed record Outcome(List<int> DeliveredAtKills, HashSet<string> InFlightAtKill);

    /// <param name="delivered">how many of the batch the SMTP server has received so far</param>
    /// <param name="allSentSql">SQL counting the batch's rows marked sent; the last run stops when it reaches <paramref name="count"/></param>
    public static async Task<Outcome> RunAsync(TestHost test, Func<int> delivered, int count, string allSentSql, int seed, int kills, int maxPauseMs)
    {
        var inFlight = new HashSet<string>();
        var deliveredAtKills = new List<int>();
        var random = new Random(seed);
        for (var kill = 0; kill < kills && delivered() < count; kill++)
        {
            using var worker = WorkerProcess.Start("run", "--config", test.ConfigDirectory, "--data", test.DataDirectory);
            await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(30));
            var before = delivered();
            for (var waited = 0; delivered() == before && waited < 30_000; waited += 10) await Task.Delay(10);
            await Task.Delay(random.Next(0, maxPauseMs));
            worker.Kill();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(10));
            deliveredAtKills.Add(delivered());
            await using var c = await test.OpenStoreAsync();
            foreach (var id in await c.QueryAsync<string>("SELECT message_id FROM outbox WHERE state = 'sending'"))
                inFlight.Add(id);
        }

        using var last = WorkerProcess.Start("run", "--config", test.ConfigDirectory, "--data", test.DataDirectory);
        var deadline = DateTime.UtcNow.AddSeconds(180); // a poll's limit, not a wait: a loaded CI machine (or PostgreSQL's claims) may need more than 90 s
        while (DateTime.UtcNow < deadline)
        {
            await using var c = await test.OpenStoreAsync();
            if (await c.ExecuteScalarAsync<int>(allSentSql) == count) break;
            await Task.Delay(200);
        }
        last.Terminate();
        await last.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return new Outcome(deliveredAtKills, inFlight);
    }
}
