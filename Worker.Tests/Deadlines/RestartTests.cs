using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Tests.Deadlines;

/// <summary>The real worker as a child process on real files and real time, killed and stopped between deadlines.</summary>
public class RestartTests
{
    [Fact]
    public async Task A_deadline_that_passes_while_the_worker_is_killed_or_stopped_fires_once_on_the_next_start_and_no_milestone_fires_twice()
    {
        if (OperatingSystem.IsWindows()) return; // SIGTERM is a POSIX signal
        var now = DateTimeOffset.UtcNow;
        string Iso(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        // The window is open now; the digest is half a day away, so only one-shot milestones are due.
        var digest = now.ToOffset(TimeSpan.FromHours(8)).AddHours(12).ToString("HH:mm");
        using var host = new TestHost($$"""
            { "Logging": { "LogLevel": { "Default": "Information", "Quartz": "Warning" } },
              "Campaign": { "PreparationStart": "{{Iso(now.AddDays(-10))}}", "PreparationEnd": "{{Iso(now.AddDays(-1))}}",
                            "UploadStart": "{{Iso(now.AddDays(-1))}}", "UploadEnd": "{{Iso(now.AddDays(5))}}" },
              "Notifications": { "AdminEmails": [ "{{DeadlineWorld.Admin}}" ], "DigestTime": "{{digest}}" },
              "Deadlines": { "PlanEvery": "00:00:01" } }
            """);
        var roster = RosterBuilder.Write(host.File("roster.xlsx"),
            [TestStudent.Make(1, "A班", "王老师", "wang@example.edu.cn"), TestStudent.Make(2, "B班", "李老师", "li@example.edu.cn")]);
        Assert.Equal(0, (await host.RunAsync("import-roster", roster)).Exit);
        var db = host.Store;
        var schedulerFile = Path.Combine(host.DataDirectory, "scheduler.db");

        WorkerProcess Start() => WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);

        // A rejection whose resubmission deadline is some seconds away, written as the review stage would. The running
        // worker must plan it, store its trigger and be killed or stopped before it is due: 15 s leaves a busy CI machine
        // (both test assemblies, PostgreSQL's clustered Quartz) time enough, where 5 s was tight.
        var dueIn = TimeSpan.FromSeconds(15);
        async Task<(long Id, DateTimeOffset Due)> RejectAsync(int student)
        {
            await using var c = await db.OpenAsync();
            var due = DateTimeOffset.UtcNow + dueIn;
            var id = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at, resubmit_deadline)
                SELECT id, 1, @sha, 'x.jpg', 30000, @at, 'in_window', 'rejected', @at, @due FROM students WHERE student_number = @n RETURNING id
                """, new { sha = Guid.NewGuid().ToString("N"), at = UtcTimestamp.ToText(due.AddDays(-2)), due = UtcTimestamp.ToText(due), n = $"2020{student:000000}" });
            return (id, due);
        }

        // The deadline passes, in real time, while no worker runs.
        Task PassedAsync(DateTimeOffset due) =>
            DeadlineWorld.EventuallyAsync(() => Task.FromResult(DateTimeOffset.UtcNow > due.AddSeconds(0.5)), $"real time past {due:O}", (int)dueIn.TotalSeconds + 5);

        async Task WaitScheduledAsync(long submissionId)
        {
            await DeadlineWorld.EventuallyAsync(async () =>
            {
                await using var c = await db.OpenAsync();
                var deadlineId = await c.ExecuteScalarAsync<long?>("SELECT id FROM deadlines WHERE submission_id = @submissionId", new { submissionId });
                if (deadlineId is null) return false;
                // Quartz's own store: scheduler.db beside the SQLite store, its qrtz_* tables in the PostgreSQL database.
                if (host.PostgresConnectionString is null && !File.Exists(schedulerFile)) return false;
                await using var q = host.PostgresConnectionString is null
                    ? new SqliteConnection($"Data Source={schedulerFile};Mode=ReadOnly;Pooling=False") : await db.OpenAsync();
                if (q.State != System.Data.ConnectionState.Open) await q.OpenAsync();
                return await q.ExecuteScalarAsync<int>("SELECT count(*) FROM qrtz_triggers WHERE trigger_name = @n", new { n = $"deadline-{deadlineId}" }) == 1;
            }, $"trigger for submission {submissionId} stored");
        }

        async Task<string> StateAsync(long id)
        {
            await using var c = await db.OpenAsync();
            return await c.ExecuteScalarAsync<string>("SELECT state FROM submissions WHERE id = @id", new { id }) ?? "";
        }

        // 1. Scheduled by a running worker, then SIGKILL; the deadline passes while it is dead.
        var (killed, killedDue) = (0L, DateTimeOffset.MinValue);
        using (var first = Start())
        {
            await first.WaitForOutputAsync("Deadline plan ready", TimeSpan.FromSeconds(30));
            (killed, killedDue) = await RejectAsync(1);
            await WaitScheduledAsync(killed);
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.Equal("rejected", await StateAsync(killed));
        await PassedAsync(killedDue);

        // 2. The next start fires it at once; then a second deadline is scheduled and the worker is stopped cleanly (SIGTERM).
        var (stopped, stoppedDue) = (0L, DateTimeOffset.MinValue);
        using (var second = Start())
        {
            await second.WaitForOutputAsync("Deadline plan ready", TimeSpan.FromSeconds(30));
            // On PostgreSQL (Quartz clustered) the killed node may have acquired the trigger before it died; the restarted
            // node is a new scheduler instance and takes it over once the dead one misses its check-in: up to the
            // check-in interval plus the misfire threshold after the kill (DeadlineScheduling.ClusterCheckin*).
            var takeover = StoreUnderTest.IsPostgres
                ? (int)(CollectionWorker.Deadlines.DeadlineScheduling.ClusterCheckinInterval + CollectionWorker.Deadlines.DeadlineScheduling.ClusterCheckinMisfireThreshold).TotalSeconds + 15
                : 15;
            await DeadlineWorld.EventuallyAsync(async () => await StateAsync(killed) == "expired", "expired after SIGKILL and restart", takeover);
            (stopped, stoppedDue) = await RejectAsync(2);
            await WaitScheduledAsync(stopped);
            second.Terminate();
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        Assert.Equal("rejected", await StateAsync(stopped));
        await PassedAsync(stoppedDue);

        // 3. The next start fires the second; 4. a further restart finds nothing left to do.
        using (var third = Start())
        {
            await third.WaitForOutputAsync("Deadline plan ready", TimeSpan.FromSeconds(30));
            await DeadlineWorld.EventuallyAsync(async () => await StateAsync(stopped) == "expired", "expired after SIGTERM and restart");
            third.Kill();
            await third.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        using (var fourth = Start())
        {
            await fourth.WaitForOutputAsync("Deadline plan ready", TimeSpan.FromSeconds(30));
            await Task.Delay(1500);
            fourth.Terminate();
            Assert.Equal(0, await fourth.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        await using var check = await db.OpenAsync();
        var keys = (await check.QueryAsync<(string Key, int N)>("SELECT idempotency_key, count(*) FROM outbox GROUP BY idempotency_key ORDER BY 1")).ToList();
        Assert.Equal(
        [
            $"expired:{killed}:admin:{DeadlineWorld.Admin}", $"expired:{killed}:teacher",
            $"expired:{stopped}:admin:{DeadlineWorld.Admin}", $"expired:{stopped}:teacher",
            $"window-open:li@example.edu.cn:{now.ToOffset(TimeSpan.FromHours(8)).AddDays(-1):yyyy-MM-dd}",
            $"window-open:wang@example.edu.cn:{now.ToOffset(TimeSpan.FromHours(8)).AddDays(-1):yyyy-MM-dd}",
        ], keys.Select(k => k.Key));
        Assert.All(keys, k => Assert.Equal(1, k.N));
        Assert.Equal(2, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE action = 'submission expired'"));
        // Each milestone that came due fired once over four starts (the preparation reminder, stale by then, was skipped once).
        var fired = (await check.QueryAsync<(string Subject, int N)>(
            "SELECT subject, count(*) FROM audit_log WHERE action = 'milestone fired' GROUP BY subject ORDER BY 1")).ToList();
        Assert.Equal([("milestone:preparation-start", 1), ("milestone:window-open", 1)], fired);
        Assert.Equal(2, await check.ExecuteScalarAsync<int>("SELECT count(*) FROM deadlines WHERE state = 'done'"));
    }
}
