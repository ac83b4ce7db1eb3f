using CollectionWorker.Campaign;
using CollectionWorker.Deadlines;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CollectionWorker.Tests.Store;

/// <summary>
/// The ledger on a real SQLite store, without a host: every (state, event) pair, allowed or refused,
/// with the row, the audit row, the deadline rows and the outbox rows it must (or must not) write.
/// </summary>
public class SubmissionLedgerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2022-05-06T10:00:00+08:00");

    /// <summary>The state machine written out once more, by hand, as the spec: anything not here is refused.</summary>
    private static readonly Dictionary<(SubmissionState, SubmissionEventKind), SubmissionState> Spec = new()
    {
        [(SubmissionState.Held, SubmissionEventKind.Released)] = SubmissionState.AwaitingInspection,
        [(SubmissionState.Held, SubmissionEventKind.Superseded)] = SubmissionState.Superseded,
        [(SubmissionState.AwaitingInspection, SubmissionEventKind.InspectedForReview)] = SubmissionState.AwaitingReview,
        [(SubmissionState.AwaitingInspection, SubmissionEventKind.InspectedRejected)] = SubmissionState.Rejected,
        [(SubmissionState.AwaitingInspection, SubmissionEventKind.Superseded)] = SubmissionState.Superseded,
        [(SubmissionState.AwaitingReview, SubmissionEventKind.Approved)] = SubmissionState.Approved,
        [(SubmissionState.AwaitingReview, SubmissionEventKind.Rejected)] = SubmissionState.Rejected,
        [(SubmissionState.AwaitingReview, SubmissionEventKind.Superseded)] = SubmissionState.Superseded,
        [(SubmissionState.Approved, SubmissionEventKind.Superseded)] = SubmissionState.Superseded,
        [(SubmissionState.Rejected, SubmissionEventKind.Overturned)] = SubmissionState.Approved,
        [(SubmissionState.Rejected, SubmissionEventKind.Expired)] = SubmissionState.Expired,
        [(SubmissionState.Rejected, SubmissionEventKind.Superseded)] = SubmissionState.Superseded,
    };

    public static TheoryData<SubmissionState, SubmissionEventKind> EveryPair()
    {
        var data = new TheoryData<SubmissionState, SubmissionEventKind>();
        foreach (var s in Enum.GetValues<SubmissionState>())
            foreach (var e in Enum.GetValues<SubmissionEventKind>())
                data.Add(s, e);
        return data;
    }

    /// <summary>The store under test: a SQLite file here, a PostgreSQL database in <see cref="SubmissionLedgerOnPostgresTests"/>.</summary>
    protected virtual Task<Database> NewDatabase(TempDirectory dir) => Task.FromResult(new Database(dir.File("collection.db")));

    [Fact]
    public void The_transition_table_is_the_spec_and_nothing_more()
    {
        Assert.Equal(Spec.OrderBy(kv => kv.Key), SubmissionTransitions.All.ToDictionary(t => (t.From, t.Event), t => t.To).OrderBy(kv => kv.Key));
        Assert.Equal(7 * 8, EveryPair().Count());
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public async Task Every_state_and_event_is_applied_with_its_effects_or_refused_with_nothing_written(SubmissionState from, SubmissionEventKind kind)
    {
        await using var store = await Store.CreateAsync(NewDatabase);
        var id = await store.AddSubmissionAsync(from);
        var before = await store.CountsAsync();

        await using var c = await store.Database.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var mail = new OutboxMessage($"test:{id}", "rejection-notice", "wang@example.edu.cn", "王老师", new { SubmissionId = id });
        SubmissionEvent e = kind switch
        {
            SubmissionEventKind.Released => new SubmissionEvent.Released("intake"),
            SubmissionEventKind.InspectedForReview => new SubmissionEvent.Inspected("inspection", "review", false, null, null, "evidence/1.png"),
            SubmissionEventKind.InspectedRejected => new SubmissionEvent.Inspected("inspection", "reject", true, "背景颜色不符", "background colour", null,
                Notify: [mail]),
            SubmissionEventKind.Approved => new SubmissionEvent.Decided("张师傅", Approves: true),
            SubmissionEventKind.Rejected => new SubmissionEvent.Decided("张师傅", Approves: false, "佩戴眼镜", "glasses", Notify: [mail]),
            SubmissionEventKind.Overturned => new SubmissionEvent.Overturned("张师傅"),
            SubmissionEventKind.Expired => new SubmissionEvent.Expired("deadlines", Notify: [mail]),
            SubmissionEventKind.Superseded => new SubmissionEvent.Superseded("intake", id + 1000),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        Assert.Equal(kind, e.Kind);

        if (!Spec.TryGetValue((from, kind), out var to))
        {
            var refused = await Assert.ThrowsAsync<SubmissionTransitionRefusedException>(() => store.Ledger.ApplyAsync(c, tx, id, e));
            Assert.Equal((id, from, kind), (refused.SubmissionId, refused.From, refused.Event));
            Assert.Contains("2020000001", refused.Message);
            await tx.CommitAsync();
            Assert.Equal(SubmissionStates.ToText(from), await store.StateAsync(id));
            Assert.Equal(before, await store.CountsAsync());
            return;
        }

        var applied = await store.Ledger.ApplyAsync(c, tx, id, e);
        await tx.CommitAsync();
        Assert.Equal((from, to), (applied.From, applied.To));
        Assert.Equal(SubmissionStates.ToText(to), await store.StateAsync(id));
        var after = await store.CountsAsync();
        Assert.Equal(before.Audit + 1, after.Audit);
        var audit = await store.LastAuditAsync();
        Assert.Equal((e.Actor, e.AuditAction, $"submission:{id}"), (audit.Actor, audit.Action, audit.Subject));
        Assert.Contains($"\"from\":\"{SubmissionStates.ToText(from)}\"", audit.Detail);
        Assert.Equal(before.Outbox + (e.Notify?.Count ?? 0), after.Outbox);

        var row = await store.RowAsync(id);
        var deadlines = await store.PendingDeadlinesAsync(id);
        switch (to)
        {
            case SubmissionState.Rejected:
                // A rejection starts the 48-hour resubmission clock, on the row and as a deadline.
                Assert.Equal(UtcTimestamp.ToText(Now + TimeSpan.FromHours(48)), row.resubmit_deadline);
                Assert.Equal(applied.ResubmitDeadline, Now + TimeSpan.FromHours(48));
                Assert.Contains(DeadlineKinds.Resubmission, deadlines);
                Assert.NotNull(row.reasons_zh);
                Assert.DoesNotContain(DeadlineKinds.ReviewSlaEscalation, deadlines);
                break;
            case SubmissionState.AwaitingReview:
                Assert.Equal([DeadlineKinds.ReviewSlaEscalation, DeadlineKinds.ReviewSlaWarning], deadlines.Order());
                Assert.Equal("evidence/1.png", row.evidence_file);
                break;
            case SubmissionState.Approved:
                // The studio decided: no review clock, no resubmission clock.
                Assert.Empty(deadlines);
                Assert.Equal(before.Pending, await store.CancelledAsync(id, from == SubmissionState.Rejected ? "overturned by the studio" : "reviewed"));
                Assert.Null(row.resubmit_deadline);
                Assert.Null(row.reasons_zh);
                Assert.Equal("张师傅", row.decided_by);
                break;
            case SubmissionState.Superseded:
                // The new upload stops every clock of the old one.
                Assert.Empty(deadlines);
                Assert.Equal(before.Pending, await store.CancelledAsync(id, $"newer upload {id + 1000}"));
                break;
        }
    }

    [Fact]
    public async Task A_transition_on_a_row_changed_under_it_is_refused_not_silently_skipped()
    {
        await using var store = await Store.CreateAsync(NewDatabase);
        var id = await store.AddSubmissionAsync(SubmissionState.AwaitingReview);
        await using var c = await store.Database.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await store.Ledger.ApplyAsync(c, tx, id, new SubmissionEvent.Decided("A", Approves: true));
        // A second decision in the same transaction sees the row's real state (approved), not the one the caller read before.
        var refused = await Assert.ThrowsAsync<SubmissionTransitionRefusedException>(() =>
            store.Ledger.ApplyAsync(c, tx, id, new SubmissionEvent.Decided("B", Approves: false, "x", "x")));
        Assert.Equal(SubmissionState.Approved, refused.From);
        Assert.Contains("'approved'", refused.Message);
    }

    [Fact]
    public async Task A_new_upload_supersedes_the_current_one_and_stops_its_clocks_in_one_step()
    {
        await using var store = await Store.CreateAsync(NewDatabase);
        var old = await store.AddSubmissionAsync(SubmissionState.AwaitingReview);
        await using (var c = await store.Database.OpenAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            await store.Deadlines.AddReviewSlaAsync(c, tx, old, Now);
            await tx.CommitAsync();
        }
        Assert.Equal(2, (await store.PendingDeadlinesAsync(old)).Count);

        ReceivedSubmission received;
        await using (var c = await store.Database.OpenAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            received = await store.Ledger.ReceiveAsync(c, tx,
                new NewSubmission(store.StudentId, "b".PadLeft(64, 'b'), "2020000001.jpg", 30000, Now, "in_window", SubmissionState.AwaitingInspection), "intake");
            await tx.CommitAsync();
        }
        Assert.Equal([old], received.SupersededIds);
        Assert.Equal(2, received.Attempt);
        Assert.Equal("superseded", await store.StateAsync(old));
        Assert.Equal("awaiting_inspection", await store.StateAsync(received.Id));
        Assert.Empty(await store.PendingDeadlinesAsync(old));
        await using var check = await store.Database.OpenAsync();
        var current = await SubmissionLedger.CurrentAsync(check, null, store.StudentId);
        Assert.Equal((received.Id, SubmissionState.AwaitingInspection), (current!.Id, current.State));
        Assert.Equal(["submission received", "submission superseded"],
            (await check.QueryAsync<string>("SELECT action FROM audit_log WHERE action LIKE 'submission %' ORDER BY action")).ToList());
    }

    [Fact]
    public async Task A_new_submission_cannot_start_in_a_decided_state()
    {
        await using var store = await Store.CreateAsync(NewDatabase);
        await using var c = await store.Database.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => store.Ledger.ReceiveAsync(c, tx,
            new NewSubmission(store.StudentId, "c".PadLeft(64, 'c'), "x.jpg", 1, Now, "in_window", SubmissionState.Approved), "intake"));
    }

    /// <summary>A fresh store with one student and the ledger built by hand, as the host would build it.</summary>
    private sealed class Store : IAsyncDisposable
    {
        private readonly TempDirectory _dir;
        public Database Database { get; }
        public SubmissionLedger Ledger { get; }
        public DeadlineRows Deadlines { get; }
        public long StudentId { get; private set; }

        private Store(TempDirectory dir, Database database)
        {
            _dir = dir;
            Database = database;
            var time = new FakeTimeProvider(Now);
            var campaign = new CampaignOptions();
            Deadlines = new DeadlineRows(Options.Create(campaign), Options.Create(new DeadlinesOptions()), time);
            Ledger = new SubmissionLedger(Deadlines, new CollectionWorker.Notifications.Outbox(time, Options.Create(new CollectionWorker.Notifications.SmtpOptions())),
                new CampaignClock(time, campaign), time);
        }

        public static async Task<Store> CreateAsync(Func<TempDirectory, Task<Database>> newDatabase)
        {
            var dir = new TempDirectory();
            var store = new Store(dir, await newDatabase(dir));
            await new Migrator(store.Database, NullLogger<Migrator>.Instance).ApplyAsync();
            await using var c = await store.Database.OpenAsync();
            store.StudentId = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO students (student_number, national_id, name, gender, birth_date, grade, major, class_name, school, track,
                                      teacher_name, teacher_email, eligible, created_at, updated_at)
                VALUES ('2020000001', '440605200101010011', '王小明', '男', '2001-01-01', '20级', '计算机', '20级计算机1班', '广东理工职业学院', '',
                        '王老师', 'wang@example.edu.cn', 1, @now, @now)
                RETURNING id
                """, new { now = UtcTimestamp.ToText(Now) });
            return store;
        }

        /// <summary>A submission in <paramref name="state"/> with the clocks that state has running.</summary>
        public async Task<long> AddSubmissionAsync(SubmissionState state)
        {
            await using var c = await Database.OpenAsync();
            await using var tx = await c.BeginTransactionAsync();
            var id = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at,
                                         reasons_zh, reasons_en, decided_by, resubmit_deadline)
                VALUES (@StudentId, 1, @sha, '2020000001.jpg', 30000, @at, 'in_window', @state, @at, @reasons, @reasons, @by, @deadline)
                RETURNING id
                """,
                new
                {
                    StudentId, sha = "a".PadLeft(64, 'a'), at = UtcTimestamp.ToText(Now.AddHours(-1)), state = SubmissionStates.ToText(state),
                    reasons = state is SubmissionState.Rejected or SubmissionState.Expired ? "背景颜色不符" : null,
                    by = state is SubmissionState.Rejected or SubmissionState.Expired ? "inspection" : null,
                    deadline = state is SubmissionState.Rejected or SubmissionState.Expired ? UtcTimestamp.ToText(Now.AddHours(40)) : null,
                }, tx);
            if (state == SubmissionState.AwaitingReview) await Deadlines.AddReviewSlaAsync(c, tx, id, Now.AddHours(-1));
            if (state == SubmissionState.Rejected) await Deadlines.AddResubmissionAsync(c, tx, id, Now.AddHours(40));
            await tx.CommitAsync();
            return id;
        }

        public async Task<int> CancelledAsync(long id, string outcome)
        {
            await using var c = await Database.OpenAsync();
            return await c.ExecuteScalarAsync<int>("SELECT count(*) FROM deadlines WHERE submission_id = @id AND state = 'cancelled' AND outcome = @outcome",
                new { id, outcome });
        }

        public async Task<string> StateAsync(long id)
        {
            await using var c = await Database.OpenAsync();
            return await c.ExecuteScalarAsync<string>("SELECT state FROM submissions WHERE id = @id", new { id }) ?? "";
        }

        public async Task<(int Audit, int Outbox, int Deadlines, int Pending)> CountsAsync()
        {
            await using var c = await Database.OpenAsync();
            return (await c.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log"), await c.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox"),
                await c.ExecuteScalarAsync<int>("SELECT count(*) FROM deadlines"),
                await c.ExecuteScalarAsync<int>("SELECT count(*) FROM deadlines WHERE state = 'pending'"));
        }

        public async Task<(string Actor, string Action, string Subject, string Detail)> LastAuditAsync()
        {
            await using var c = await Database.OpenAsync();
            return await c.QuerySingleAsync<(string, string, string, string)>("SELECT actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT 1");
        }

        public async Task<List<string>> PendingDeadlinesAsync(long id)
        {
            await using var c = await Database.OpenAsync();
            return (await c.QueryAsync<string>("SELECT kind FROM deadlines WHERE submission_id = @id AND state = 'pending'", new { id })).ToList();
        }

        public async Task<Row> RowAsync(long id)
        {
            await using var c = await Database.OpenAsync();
            return await c.QuerySingleAsync<Row>("SELECT resubmit_deadline, reasons_zh, decided_by, evidence_file FROM submissions WHERE id = @id", new { id });
        }

        public ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            _dir.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed record Row(string? resubmit_deadline, string? reasons_zh, string? decided_by, string? evidence_file);
}

/// <summary>The same ledger suite on a PostgreSQL store (the same SQL, rewritten per command).</summary>
[Collection(PostgresCollection.Name)]
public sealed class SubmissionLedgerOnPostgresTests(PostgresServer server) : SubmissionLedgerTests
{
    protected override async Task<Database> NewDatabase(TempDirectory dir) => await server.CreateStoreAsync();
}
