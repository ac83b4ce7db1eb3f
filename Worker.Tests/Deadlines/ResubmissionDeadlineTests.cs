using CollectionWorker.Deadlines;
using CollectionWorker.Store;
using Dapper;

namespace CollectionWorker.Tests.Deadlines;

public class ResubmissionDeadlineTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.Parse("2022-05-06T10:00:00+08:00");

    [Fact]
    public async Task A_rejection_at_T_expires_at_exactly_T_plus_48h_once_and_a_resubmission_at_47h59m_never_expires()
    {
        await using var world = await DeadlineWorld.CreateAsync(T);
        await world.StartAsync();

        // Student 1 is rejected at T and never uploads again; student 2 is rejected at T and uploads again at T+47:59.
        var expiring = await world.AddSubmissionAsync(1, "rejected", T.AddHours(-1), T, world.RejectedAt(T));
        var rescued = await world.AddSubmissionAsync(2, "rejected", T.AddHours(-1), T, world.RejectedAt(T));
        await world.PlanNowAsync(); // the planner's next pass schedules both
        await DeadlineWorld.EventuallyAsync(async () => await world.CountAsync("SELECT count(*) FROM deadlines WHERE state = 'pending'") == 2, "rows pending");

        world.AdvanceTo(T + TimeSpan.FromHours(47) + TimeSpan.FromMinutes(59));
        await DeadlineWorld.SettleAsync();
        Assert.Equal("rejected", await world.SubmissionStateAsync(expiring));
        Assert.Empty(await world.OutboxKeysAsync("expired:"));

        // The new upload, as intake records it: newer row, older one superseded, its deadline cancelled, in one transaction.
        await world.ReceiveUploadAsync(2);

        world.AdvanceTo(T + TimeSpan.FromHours(48));
        await DeadlineWorld.EventuallyAsync(async () => await world.SubmissionStateAsync(expiring) == "expired", "expired at T+48h");

        // Long after: still exactly once, and nothing for the student who uploaded again.
        for (var i = 0; i < 3; i++)
        {
            world.Advance(TimeSpan.FromHours(20));
            await DeadlineWorld.SettleAsync();
        }
        Assert.Equal([$"expired:{expiring}:admin:{DeadlineWorld.Admin}", $"expired:{expiring}:teacher"], await world.OutboxKeysAsync("expired:"));
        Assert.Equal("superseded", await world.SubmissionStateAsync(rescued));
        await using var c = await world.Database.OpenAsync();
        var audit = (await c.QueryAsync<string>("SELECT at FROM audit_log WHERE action = 'submission expired'")).ToList();
        Assert.Equal([UtcTimestamp.ToText(T + TimeSpan.FromHours(48))], audit);
        Assert.Equal("done", await c.ExecuteScalarAsync<string>("SELECT state FROM deadlines WHERE submission_id = @expiring", new { expiring }));
        Assert.Equal("cancelled", await c.ExecuteScalarAsync<string>("SELECT state FROM deadlines WHERE submission_id = @rescued", new { rescued }));
        var teacherMail = await c.QuerySingleAsync<(string Template, string Recipient, string Data)>(
            "SELECT template, recipient, data FROM outbox WHERE idempotency_key = @k", new { k = $"expired:{expiring}:teacher" });
        Assert.Equal(("expiry-notice", "wang@example.edu.cn"), (teacherMail.Template, teacherMail.Recipient));
        Assert.Contains("\"deadline\":\"2022-05-08 10:00 +08:00\"", teacherMail.Data);

        // A late upload after expiry is refused by intake with the reason.
        var student = new CollectionWorker.Intake.IntakeStudent(await world.StudentIdAsync(1), "2020000001", "", "", Eligible: true);
        var decision = await world.Get<CollectionWorker.Intake.SubmissionRecorder>().DecideAsync(student, "a-new-photo", world.Time.GetUtcNow(),
            CancellationToken.None);
        var refused = Assert.IsType<CollectionWorker.Intake.IntakeDecision.Refuse>(decision);
        Assert.Equal(CollectionWorker.Intake.SubmissionRecorder.ExpiredCode, refused.Code);
        Assert.Contains("2022-05-08 10:00 +08:00", refused.ReasonZh);
    }

    [Fact]
    public async Task A_rejection_recorded_without_a_deadline_row_is_found_by_the_planner_and_an_overturned_one_never_expires()
    {
        await using var world = await DeadlineWorld.CreateAsync(T);
        // Written as a deciding stage might that forgot the helper: state and resubmit_deadline only.
        var plain = await world.AddSubmissionAsync(1, "rejected", T.AddHours(-1), T, (c, tx, id) =>
            c.ExecuteAsync("UPDATE submissions SET resubmit_deadline = @d WHERE id = @id", new { d = UtcTimestamp.ToText(T.AddHours(48)), id }, tx));
        var overturned = await world.AddSubmissionAsync(3, "rejected", T.AddHours(-1), T, (c, tx, id) =>
            c.ExecuteAsync("UPDATE submissions SET resubmit_deadline = @d WHERE id = @id", new { d = UtcTimestamp.ToText(T.AddHours(48)), id }, tx));
        await world.StartAsync();
        Assert.Equal(2, await world.CountAsync("SELECT count(*) FROM deadlines WHERE kind = 'resubmission' AND state = 'pending'"));

        world.AdvanceTo(T.AddHours(20));
        await using (var c = await world.Database.OpenAsync())
            await c.ExecuteAsync("UPDATE submissions SET state = 'approved' WHERE id = @overturned", new { overturned });

        world.AdvanceTo(T.AddHours(48));
        await DeadlineWorld.EventuallyAsync(async () => await world.SubmissionStateAsync(plain) == "expired", "expired");
        await DeadlineWorld.SettleAsync();
        Assert.Equal("approved", await world.SubmissionStateAsync(overturned));
        Assert.Equal([$"expired:{plain}:admin:{DeadlineWorld.Admin}", $"expired:{plain}:teacher"], await world.OutboxKeysAsync("expired:"));
    }
}
