using CollectionWorker.Deadlines;
using Dapper;

namespace CollectionWorker.Tests.Deadlines;

public class FirstStartTests
{
    private static async Task<Dictionary<string, string>> OutcomesWhenAllFiredAsync(DeadlineWorld world)
    {
        string[] oneShots = [CampaignPlan.PreparationStart, CampaignPlan.WindowOpen, CampaignPlan.FinalReminder, CampaignPlan.WindowClose];
        await DeadlineWorld.EventuallyAsync(async () =>
            await world.CountAsync("SELECT count(*) FROM milestones WHERE fired_at IS NOT NULL AND name IN @oneShots", new { oneShots }) == 4,
            "every one-shot milestone has fired", seconds: 60);
        await using var c = await world.Database.OpenAsync();
        return (await c.QueryAsync<(string Name, string Outcome)>("SELECT name, outcome FROM milestones WHERE name IN @oneShots", new { oneShots }))
            .ToDictionary(r => r.Name, r => r.Outcome);
    }

    [Fact]
    public async Task A_first_start_on_the_shipped_past_dates_sends_nothing_reports_nothing_and_exports_nothing()
    {
        // Today, with the notice's 2022 dates (the shipped defaults): the store is new, the campaign long over.
        await using var world = await DeadlineWorld.CreateAsync(DateTimeOffset.UtcNow);
        await world.StartAsync();

        var outcomes = await OutcomesWhenAllFiredAsync(world);
        foreach (var (name, outcome) in outcomes)
            Assert.True(outcome.StartsWith("not caught up: its part of the campaign was over at 2022-05-"), $"{name}: {outcome}");
        await DeadlineWorld.SettleAsync();
        Assert.Empty(await world.OutboxKeysAsync());
        Assert.False(File.Exists(Path.Combine(world.Host.DataDirectory, "export", "manifest.xlsx")), "no automatic export of a past campaign");
        Assert.Equal(0, await world.CountAsync("SELECT count(*) FROM export_requests")); // nor one asked for
    }

    [Fact]
    public async Task A_real_campaign_whose_service_was_down_past_the_close_still_reports_and_says_what_is_true()
    {
        // The store was made before the campaign; the service then starts only after the window closed.
        await using var world = await DeadlineWorld.CreateAsync(DateTimeOffset.Parse("2022-04-20T10:00:00+08:00"));
        world.AdvanceTo(DateTimeOffset.Parse("2022-05-20T10:00:00+08:00"));
        await world.StartAsync();

        var outcomes = await OutcomesWhenAllFiredAsync(world);
        Assert.Equal("skipped: the upload window has already closed", outcomes[CampaignPlan.PreparationStart]);
        Assert.Equal("skipped: the upload window has closed", outcomes[CampaignPlan.WindowOpen]);
        Assert.Equal("1 admin report(s)", outcomes[CampaignPlan.WindowClose]);
        Assert.Contains($"window-close:admin:{DeadlineWorld.Admin}:2022-05-12", await world.OutboxKeysAsync("window-close:"));
    }
}
