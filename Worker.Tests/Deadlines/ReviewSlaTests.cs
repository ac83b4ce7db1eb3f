using CollectionWorker.Store;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Tests.Deadlines;

public class ReviewSlaTests
{
    private static readonly DateTimeOffset T = DateTimeOffset.Parse("2022-05-06T15:30:00+08:00");

    [Fact]
    public async Task The_studio_is_warned_at_40h_and_escalated_with_the_admins_at_48h_unless_the_review_was_done()
    {
        await using var world = await DeadlineWorld.CreateAsync(T);
        await world.StartAsync();
        var rows = world.Get<DeadlineRows>();
        var waiting = await world.AddSubmissionAsync(1, "awaiting_review", T, alsoInTransaction: (c, tx, id) => rows.AddReviewSlaAsync(c, tx, id, T));
        var reviewed = await world.AddSubmissionAsync(3, "awaiting_review", T, alsoInTransaction: (c, tx, id) => rows.AddReviewSlaAsync(c, tx, id, T));
        await world.PlanNowAsync();
        await DeadlineWorld.EventuallyAsync(async () => await world.CountAsync("SELECT count(*) FROM deadlines WHERE state = 'pending'") == 4, "4 pending");

        world.AdvanceTo(T + TimeSpan.FromHours(39) + TimeSpan.FromMinutes(59));
        await DeadlineWorld.SettleAsync();
        Assert.Empty(await world.OutboxKeysAsync("sla-"));

        // The studio decides on one of them at 39:59 (approve), as the review stage would.
        await using (var c = await world.Database.OpenAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            await world.Get<SubmissionLedger>().ApplyAsync(c, tx, reviewed, new SubmissionEvent.Decided("图片社 studio", Approves: true));
            await tx.CommitAsync();
        }

        world.AdvanceTo(T + TimeSpan.FromHours(40));
        await DeadlineWorld.EventuallyAsync(async () => (await world.OutboxKeysAsync("sla-warning:")).Count == 1, "warning at 40 h");
        Assert.Equal([$"sla-warning:{waiting}:studio"], await world.OutboxKeysAsync("sla-"));

        world.AdvanceTo(T + TimeSpan.FromHours(47) + TimeSpan.FromMinutes(59));
        await DeadlineWorld.SettleAsync();
        Assert.Empty(await world.OutboxKeysAsync("sla-escalation:"));

        world.AdvanceTo(T + TimeSpan.FromHours(48));
        await DeadlineWorld.EventuallyAsync(async () => (await world.OutboxKeysAsync("sla-escalation:")).Count == 2, "escalation at 48 h");
        world.Advance(TimeSpan.FromHours(30));
        await DeadlineWorld.SettleAsync();
        Assert.Equal(
            [$"sla-escalation:{waiting}:admin:{DeadlineWorld.Admin}", $"sla-escalation:{waiting}:studio", $"sla-warning:{waiting}:studio"],
            await world.OutboxKeysAsync("sla-"));
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM audit_log WHERE action = 'review overdue'"));
        Assert.Equal(2, await world.CountAsync("SELECT count(*) FROM deadlines WHERE submission_id = @reviewed AND state = 'cancelled'", new { reviewed }));
    }
}
