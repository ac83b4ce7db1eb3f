using System.Text.Json;
using System.Text.RegularExpressions;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;

namespace CollectionWorker.Tests.Cluster;

/// <summary>
/// Two real worker processes (the built dll) on one PostgreSQL database and one shared data directory.
/// Files arrive in the drop folder while node B is SIGKILLed again and again at random moments and node A
/// runs on; at the end B is killed for good while it holds claims, and A must finish B's work once the
/// claims expire. Every file is recorded exactly once and none is left; each resubmission deadline's
/// expiry e-mail goes out once; the final-reminder milestone fires once in the cluster.
/// Sizes: <see cref="Files"/> files (the issue's 2,000 are the CLUSTER_TEST_FILES option, for a longer run).
/// </summary>
[Collection(PostgresCollection.Name)]
public partial class TwoNodeClusterTests(PostgresServer server)
{
    private static int Files => int.TryParse(Environment.GetEnvironmentVariable("CLUSTER_TEST_FILES"), out var n) && n > 0 ? n : 240;
    private const int Deadlines = 6;
    private static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Two_nodes_with_one_killed_repeatedly_record_every_file_once_and_fire_each_deadline_and_milestone_once()
    {
        if (OperatingSystem.IsWindows()) return; // nodes are killed with a POSIX signal
        await using var smtp = await TestSmtpServer.StartAsync();
        var connection = await server.CreateDatabaseAsync();
        var now = DateTimeOffset.UtcNow;
        using var test = new TestHost(Settings(connection, smtp.Port, now));
        var students = Enumerable.Range(1, Files + Deadlines).Select(i => TestStudent.Make(i)).ToList();
        var (exit, _, error) = await test.RunAsync("import-roster", RosterBuilder.Write(test.File("roster.xlsx"), students));
        Assert.True(exit == 0, error);
        var db = Database.OnPostgres(connection);
        var deadlineIds = await SeedRejectedAsync(db, students.Skip(Files).ToList(), now);
        var inbox = Path.Combine(test.DataDirectory, "inbox");

        var outputs = new List<WorkerProcess>();
        WorkerProcess Start()
        {
            var w = WorkerProcess.Start("run", "--config", test.ConfigDirectory, "--data", test.DataDirectory);
            lock (outputs) outputs.Add(w);
            return w;
        }
        try
        {
            var a = Start();
            await a.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(90));

            // Files arrive in five batches, each while a node B is running (B is killed and started again in between),
            // so both nodes compete for every batch and B is often killed in the middle of one.
            var random = new Random(20221202);
            var batches = Enumerable.Range(0, Files).Chunk((Files + 4) / 5).ToList();
            async Task DropAsync(int[] batch)
            {
                foreach (var i in batch)
                {
                    var s = students[i];
                    var temp = Path.Combine(test.Root, s.StudentNumber + ".part");
                    await File.WriteAllBytesAsync(temp, Photo(i));
                    File.Move(temp, Path.Combine(inbox, s.StudentNumber + ".jpg"));
                }
            }

            var kills = 0;
            for (var round = 0; round < 4; round++)
            {
                var b = Start();
                await b.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(90));
                await DropAsync(batches[round]);
                // Killed at a random moment once it is at work on the batch (a warmed-up A may take a batch before a new B looks).
                for (var waited = 0; waited < 20_000 && !RecordedBy(b); waited += 20) await Task.Delay(20);
                await Task.Delay(random.Next(0, 400));
                b.Kill();
                await b.WaitForExitAsync(TimeSpan.FromSeconds(30));
                kills++;
            }

            // B once more, killed for good while it holds claims: A takes that work over once the claims expire.
            var last = Start();
            await last.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(90));
            await DropAsync(batches[4]);
            var owner = $"{Environment.MachineName}:{last.Id}";
            var held = 0L;
            for (var waited = 0; waited < 20_000 && held == 0 && await RecordedAsync(db) < Files; waited += 20)
            {
                held = await ScalarAsync(db, "SELECT count(*) FROM work_claims WHERE owner = @owner", new { owner });
                if (held == 0) await Task.Delay(20);
            }
            last.Kill();
            await last.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var heldAtFinalKill = await ScalarAsync(db, "SELECT count(*) FROM work_claims WHERE owner = @owner", new { owner });

            // Node A alone finishes: every file recorded, the inbox empty, every deadline and the milestone done, the mail sent.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
            while (DateTime.UtcNow < deadline && !(await RecordedAsync(db) == Files && InboxFiles(inbox) == 0
                                                   && await ScalarAsync(db, "SELECT count(*) FROM deadlines WHERE state = 'pending'") == 0
                                                   && await ScalarAsync(db, "SELECT count(*) FROM milestones WHERE name = 'final-reminder' AND fired_at IS NOT NULL") == 1
                                                   && await ScalarAsync(db, "SELECT count(*) FROM outbox WHERE state <> 'sent'") == 0))
                await Task.Delay(250);
            Assert.False(a.HasExited, $"node A stopped:\n{a.Output}");

            // Every file exactly once: one submission per student, attempt 1, one receipt in the audit log.
            Assert.Equal(0, InboxFiles(inbox));
            var rows = (await QueryAsync<(string Number, long Attempt, long Count)>(db,
                "SELECT st.student_number, max(s.attempt), count(*) FROM submissions s JOIN students st ON st.id = s.student_id WHERE s.state <> 'rejected' AND s.state <> 'expired' GROUP BY st.student_number")).ToList();
            Assert.Equal(students.Take(Files).Select(s => s.StudentNumber).Order(), rows.Select(r => r.Number).Order());
            Assert.All(rows, r => Assert.Equal((1L, 1L), (r.Attempt, r.Count)));
            Assert.Equal(Files, await ScalarAsync(db, "SELECT count(*) FROM audit_log WHERE action = 'submission received'"));
            // The surviving node holds no claim (a claim of the dead node may stay until it expires and the next release clears it).
            // It gives each up just after the file's row is committed and the file taken out of the inbox.
            await CollectionWorker.Tests.Deadlines.DeadlineWorld.EventuallyAsync(async () => await ScalarAsync(db, "SELECT count(*) FROM work_claims WHERE owner = @owner",
                new { owner = $"{Environment.MachineName}:{a.Id}" }) == 0, "node A's claims given up");

            // Each deadline acted on once: done, one expiry e-mail row, and that e-mail received.
            var output = string.Join("\n", outputs.Select(o => o.Output));
            foreach (var id in deadlineIds)
            {
                Assert.Equal("done", await db.OpenAsync().ContinueWith(async t => { await using var c = t.Result; return await c.ExecuteScalarAsync<string>("SELECT state FROM deadlines WHERE id = @id", new { id }); }).Unwrap());
                Assert.True(DeadlineLines(output, id) <= 1, $"deadline {id} acted on {DeadlineLines(output, id)} times:\n{output}");
            }
            var expiryKeys = (await QueryAsync<string>(db, "SELECT message_id FROM outbox WHERE idempotency_key LIKE 'expired:%'")).ToList();
            Assert.Equal(Deadlines, expiryKeys.Count);
            var received = smtp.Messages.GroupBy(m => m.MessageId).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(expiryKeys, k => Assert.True(received.TryGetValue(k, out var n) && n == 1, $"{k} received {received.GetValueOrDefault(k)} time(s)"));

            // No node ever worked on a file another node had: a second node recording the same file would fail on the
            // store's unique key and log it (the store would still hold one row, so the rows alone do not show it).
            Assert.DoesNotContain("failed; left in the inbox", output);
            Assert.DoesNotContain("Intake pass failed", output);
            var byA = RecordedLine().Matches(a.Output).Count;
            var byB = RecordedLine().Matches(string.Join("\n", outputs.Skip(1).Select(o => o.Output))).Count;
            Assert.True(byB > 0, "node B never recorded a file: the kills tested nothing");
            Console.WriteLine($"cluster test: {Files} files, node A recorded {byA}, node B (killed {kills + 1} times) {byB}; " +
                              $"B held {heldAtFinalKill} claim(s) when killed for good; deadlines {Deadlines}, e-mails received {smtp.Messages.Count}");

            // The milestone fired once in the whole cluster.
            Assert.True(MilestoneLines(output) <= 1, $"final-reminder fired {MilestoneLines(output)} times:\n{output}");
            Assert.Equal(4, kills);
        }
        finally
        {
            foreach (var w in outputs) w.Dispose();
        }
    }

    private static string Settings(string connection, int smtpPort, DateTimeOffset now) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["Storage"] = new { Provider = "PostgreSql", ConnectionString = connection, ClaimTimeout = ClaimTimeout.ToString() },
        ["Campaign"] = new { UploadStart = now.AddDays(-1).ToString("O"), UploadEnd = now.AddDays(2).ToString("O") },
        // The final reminder falls due about 40 s into the test.
        ["Deadlines"] = new { FinalReminderBefore = (TimeSpan.FromDays(2) - TimeSpan.FromSeconds(40)).ToString() },
        ["Intake"] = new { StableFor = "00:00:00.200", RescanEvery = "00:00:01", RetryLockedEvery = "00:00:01" },
        ["Inspection"] = new { Enabled = false },
        ["Smtp"] = new { Host = "127.0.0.1", Port = smtpPort, Security = "None" },
        ["Notifications"] = new { RetryDelay = "00:00:00.2" },
    });

    /// <summary>Rejected uploads of the last students, their resubmission deadlines due 15–40 s from now.</summary>
    private static async Task<List<long>> SeedRejectedAsync(Database db, List<TestStudent> students, DateTimeOffset now)
    {
        var ids = new List<long>();
        await using var c = await db.OpenAsync();
        for (var i = 0; i < students.Count; i++)
        {
            var due = UtcTimestamp.ToText(now.AddSeconds(15 + 5 * i));
            var at = UtcTimestamp.ToText(now.AddHours(-1));
            var sub = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at,
                                         resubmit_deadline, reasons_zh, reasons_en, decided_by)
                SELECT id, 1, @sha, 'x.jpg', 100, @at, 'in_window', 'rejected', @at, @due, '背景颜色不符', 'background colour', 'inspection'
                FROM students WHERE student_number = @number RETURNING id
                """, new { sha = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), at, due, number = students[i].StudentNumber });
            ids.Add(await c.ExecuteScalarAsync<long>(
                "INSERT INTO deadlines (kind, submission_id, due_at, created_at) VALUES ('resubmission', @sub, @due, @at) RETURNING id", new { sub, due, at }));
        }
        return ids;
    }

    private static byte[] Photo(int i) => [0xFF, 0xD8, 0xFF, 0xE0, .. BitConverter.GetBytes(i), .. new byte[200], 0xFF, 0xD9];

    private static int InboxFiles(string inbox) => Directory.EnumerateFiles(inbox, "*", SearchOption.AllDirectories).Count();

    private static async Task<long> RecordedAsync(Database db) =>
        await ScalarAsync(db, "SELECT count(*) FROM submissions WHERE state = 'awaiting_inspection'");

    private static async Task<long> ScalarAsync(Database db, string sql, object? args = null)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    private static async Task<IEnumerable<T>> QueryAsync<T>(Database db, string sql)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<T>(sql)).ToList();
    }

    private static bool RecordedBy(WorkerProcess node) => RecordedLine().IsMatch(node.Output);

    [GeneratedRegex(@"Intake \S+: Recorded")]
    private static partial Regex RecordedLine();

    private static int DeadlineLines(string output, long id) => Regex.Matches(output, $@"Deadline {id} \(resubmission\)").Count;
    private static int MilestoneLines(string output) => MilestoneFired().Matches(output).Count;

    [GeneratedRegex(@"Milestone final-reminder fired at")]
    private static partial Regex MilestoneFired();
}
