using CollectionWorker.Deadlines;
using CollectionWorker.Host;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CollectionWorker.Tests.Deadlines;

/// <summary>
/// A real data directory with an imported roster, and the real service host (persistent Quartz on a
/// real SQLite file) driven by a fake clock. Submissions are inserted with SQL, as intake would.
/// </summary>
internal sealed class DeadlineWorld : IAsyncDisposable
{
    public const string Admin = "admin@example.edu.cn";
    public const string Studio = "studio@example.edu.cn";

    private DeadlineWorld(TestHost host, FakeTimeProvider time)
    {
        Host = host;
        Time = time;
    }

    public TestHost Host { get; }
    public FakeTimeProvider Time { get; }
    public IHost? Service { get; private set; }
    public Database Database => Host.Store;

    public static string Settings(string extra = "") =>
        $$"""
        { "Notifications": { "AdminEmails": [ "{{Admin}}" ], "StudioEmail": "{{Studio}}", "SendEvery": "01:00:00" },
          "Inspection": { "Enabled": false }, "Intake": { "RescanEvery": "01:00:00" }, "Review": { "ExportEvery": "00:00:00" },
          "Deadlines": { "PlanEvery": "01:00:00" } {{extra}} }
        """;

    /// <summary>Two teachers: 王老师 with students 1–2 (class A), 李老师 with student 3 (class B).</summary>
    public static async Task<DeadlineWorld> CreateAsync(DateTimeOffset now, string? settings = null)
    {
        var host = new TestHost(settings ?? Settings());
        var roster = RosterBuilder.Write(host.File("roster.xlsx"),
        [
            TestStudent.Make(1, "20级计算机1班", "王老师", "wang@example.edu.cn"),
            TestStudent.Make(2, "20级计算机1班", "王老师", "wang@example.edu.cn"),
            TestStudent.Make(3, "20级会计1班", "李老师", "li@example.edu.cn"),
        ]);
        // The store is created on the world's clock, as it would be on a real first day.
        var time = new FakeTimeProvider(now);
        var (exit, _, err) = await host.RunAsync(time, "import-roster", roster);
        Assert.True(exit == 0, err);
        return new DeadlineWorld(host, time);
    }

    public async Task StartAsync()
    {
        Service = AppHost.Build(CommandLine.Parse(["run", "--config", Host.ConfigDirectory, "--data", Host.DataDirectory]),
            Host.ConfigDirectory, Time);
        await AppHost.PrepareStoreAsync(Service.Services);
        await Service.StartAsync();
    }

    public async Task StopAsync()
    {
        if (Service is null) return;
        await Service.StopAsync();
        Service.Dispose();
        Service = null;
    }

    /// <summary>
    /// One planner pass now, as the service's periodic pass would do. (The tests keep that period long:
    /// a fake clock advanced by days fires a short periodic timer thousands of times, one by one.)
    /// </summary>
    public async Task<PlanResult> PlanNowAsync() =>
        await Get<DeadlinePlanner>().PlanAsync(await Get<Quartz.ISchedulerFactory>().GetScheduler(), CancellationToken.None);

    public T Get<T>() where T : notnull => Service!.Services.GetRequiredService<T>();

    public async Task<long> StudentIdAsync(int i)
    {
        await using var c = await Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT id FROM students WHERE student_number = @n", new { n = $"2020{i:000000}" });
    }

    /// <summary>Inserts an upload as intake would (attempt, hash, window stamp), in the given state.</summary>
    public async Task<long> AddSubmissionAsync(int student, string state, DateTimeOffset receivedAt, DateTimeOffset? stateChangedAt = null,
        Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, long, Task>? alsoInTransaction = null)
    {
        var studentId = await StudentIdAsync(student);
        await using var c = await Database.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var attempt = await c.ExecuteScalarAsync<int>("SELECT count(*) + 1 FROM submissions WHERE student_id = @studentId", new { studentId }, tx);
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at)
            VALUES (@studentId, @attempt, @sha, @name, 30000, @received, 'in_window', @state, @changed) RETURNING id
            """,
            new
            {
                studentId, attempt, sha = Guid.NewGuid().ToString("N"), name = $"{student}-{attempt}.jpg", received = UtcTimestamp.ToText(receivedAt),
                state, changed = UtcTimestamp.ToText(stateChangedAt ?? receivedAt),
            }, tx);
        if (alsoInTransaction is not null) await alsoInTransaction(c, tx, id);
        await tx.CommitAsync();
        return id;
    }

    /// <summary>For <see cref="AddSubmissionAsync"/>: the submission was rejected at <paramref name="decidedAt"/>, its resubmission clock running.</summary>
    public Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, long, Task> RejectedAt(DateTimeOffset decidedAt) => async (c, tx, id) =>
    {
        var rows = Get<DeadlineRows>();
        var due = rows.ResubmissionDue(decidedAt);
        await c.ExecuteAsync("UPDATE submissions SET resubmit_deadline = @due WHERE id = @id", new { due = UtcTimestamp.ToText(due), id }, tx);
        await rows.AddResubmissionAsync(c, tx, id, due);
    };

    /// <summary>A new upload of the student, recorded through the ledger as intake records it (the older one superseded, its clocks stopped).</summary>
    public async Task<long> ReceiveUploadAsync(int student)
    {
        await using var c = await Database.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var received = await Get<SubmissionLedger>().ReceiveAsync(c, tx,
            new NewSubmission(await StudentIdAsync(student), Guid.NewGuid().ToString("N"), $"{student}-new.jpg", 30000, Time.GetUtcNow(), "in_window",
                SubmissionState.AwaitingInspection), "test");
        await tx.CommitAsync();
        return received.Id;
    }

    public async Task<string> SubmissionStateAsync(long id)
    {
        await using var c = await Database.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT state FROM submissions WHERE id = @id", new { id }) ?? "";
    }

    public async Task<List<string>> OutboxKeysAsync(string prefix = "")
    {
        await using var c = await Database.OpenAsync();
        return (await c.QueryAsync<string>("SELECT idempotency_key FROM outbox WHERE idempotency_key LIKE @p ORDER BY idempotency_key",
            new { p = prefix + "%" })).ToList();
    }

    public async Task<int> CountAsync(string sql, object? args = null)
    {
        await using var c = await Database.OpenAsync();
        return await c.ExecuteScalarAsync<int>(sql, args);
    }

    /// <summary>Moves the fake clock; the scheduler's timers run on it, so due triggers fire.</summary>
    public void Advance(TimeSpan by) => Time.Advance(by);

    public void AdvanceTo(DateTimeOffset instant)
    {
        Assert.True(instant >= Time.GetUtcNow(), $"cannot go back to {instant:O}");
        Advance(instant - Time.GetUtcNow());
    }

    /// <summary>Real time for the scheduler's threads to act on what the fake clock made due.</summary>
    public static Task SettleAsync() => Task.Delay(400);

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"not within {seconds} s: {what}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        SqliteConnection.ClearAllPools();
        Host.Dispose();
    }
}
