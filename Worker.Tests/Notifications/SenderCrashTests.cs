using CollectionWorker.Notifications;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using static CollectionWorker.Tests.Notifications.NotificationTestData;

namespace CollectionWorker.Tests.Notifications;

public class SenderCrashTests
{
    [Fact]
    public async Task A_sender_killed_mid_batch_delivers_everything_and_never_a_new_duplicate()
    {
        if (OperatingSystem.IsWindows()) return; // the child process is killed with a POSIX signal
        await using var smtp = await TestSmtpServer.StartAsync();
        using var test = new TestHost(ShortClaims(SmtpConfig(smtp.Port, """, "SendEvery": "00:00:00.1" """)));
        await ImportAsync(test);
        const int count = 120;
        using (var host = await test.BuildAsync())
            await EnqueueAsync(host, Enumerable.Range(1, count)
                .Select(i => new OutboxMessage($"digest:{TeacherA}:{i}", "teacher-digest", TeacherA, "王伟", new { day = i })).ToArray());

        var (deliveredAtKills, inFlightAtKill) = await SenderKills.RunAsync(test, () => smtp.Messages.Count, count,
            "SELECT count(*) FROM outbox WHERE state = 'sent'", seed: 20221105, kills: 5, maxPauseMs: 300);

        Assert.Contains(deliveredAtKills, n => n > 0 && n < count); // at least one kill really fell mid-batch
        var received = smtp.Messages.GroupBy(m => m.MessageId).ToDictionary(g => g.Key, g => g.Count());
        string installation;
        await using (var db = await test.OpenStoreAsync())
            installation = await db.ExecuteScalarAsync<string>("SELECT store_id FROM store_info") ?? "";
        var expected = Enumerable.Range(1, count).Select(i => Outbox.MessageIdFor($"digest:{TeacherA}:{i}", installation, new SmtpOptions().From)).ToList();
        Assert.All(expected, id => Assert.True(received.ContainsKey(id), $"{id} never arrived"));
        Assert.Equal(count, received.Count);
        // A second copy can only be the one message whose send a kill interrupted, and it keeps its Message-Id.
        Assert.All(received.Where(r => r.Value > 1), r => Assert.Contains(r.Key, inFlightAtKill));
        Assert.All(received, r => Assert.True(r.Value <= 2));
    }
}
