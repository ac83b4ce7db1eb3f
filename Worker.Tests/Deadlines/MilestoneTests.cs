using CollectionWorker.Campaign;
using CollectionWorker.Deadlines;
using CollectionWorker.Notifications;
using Dapper;
using Microsoft.Extensions.Options;
using Quartz;

namespace CollectionWorker.Tests.Deadlines;

public class MilestoneTests
{
    private static CampaignPlan Plan(CampaignOptions? campaign = null, string digest = "09:00", TimeSpan? finalBefore = null)
    {
        campaign ??= new CampaignOptions();
        var clock = new CampaignClock(TimeProvider.System, campaign);
        return new CampaignPlan(Options.Create(campaign), Options.Create(new DeadlinesOptions { FinalReminderBefore = finalBefore ?? TimeSpan.FromHours(24) }),
            Options.Create(new NotificationsOptions { DigestTime = digest }), clock);
    }

    [Fact]
    public void The_plan_puts_every_milestone_at_its_Shanghai_instant_whatever_the_servers_zone()
    {
        var plan = Plan();
        Assert.Equal(DateTimeOffset.Parse("2022-04-25T00:00:00+08:00"), plan[CampaignPlan.PreparationStart].DueAt);
        Assert.Equal(DateTimeOffset.Parse("2022-05-05T00:00:00+08:00"), plan[CampaignPlan.WindowOpen].DueAt);
        Assert.Equal(DateTimeOffset.Parse("2022-05-11T00:00:00+08:00"), plan[CampaignPlan.FinalReminder].DueAt);
        Assert.Equal(DateTimeOffset.Parse("2022-05-12T00:00:00+08:00"), plan[CampaignPlan.WindowClose].DueAt);

        // The digest's trigger fires at 09:00 Shanghai every day, from the window's first day.
        var digest = plan[CampaignPlan.DailyDigest];
        var trigger = plan.BuildTrigger(digest);
        var fires = new List<DateTimeOffset>();
        var t = trigger.GetFireTimeAfter(digest.DueAt.AddSeconds(-1));
        for (var i = 0; i < 8 && t is not null; i++, t = trigger.GetFireTimeAfter(t.Value)) fires.Add(t.Value);
        Assert.Equal(Enumerable.Range(0, 8).Select(d => DateTimeOffset.Parse("2022-05-05T09:00:00+08:00").AddDays(d)), fires);
        Assert.Equal((int)CronTriggerMisfireInstruction.FireAndProceed, (int)trigger.MisfireInstructionCode);
        Assert.Equal((int)SimpleTriggerMisfireInstruction.FireNow, (int)plan.BuildTrigger(plan[CampaignPlan.WindowOpen]).MisfireInstructionCode);
    }

    [Fact]
    public void The_digest_keeps_its_Shanghai_time_across_a_daylight_saving_change_of_the_servers_zone()
    {
        // 2022-11-06 is the end of daylight saving time in New York (the suite runs with TZ=America/New_York).
        var plan = Plan(new CampaignOptions
        {
            PreparationStart = DateTimeOffset.Parse("2022-10-20T00:00:00+08:00"), PreparationEnd = DateTimeOffset.Parse("2022-11-03T00:00:00+08:00"),
            UploadStart = DateTimeOffset.Parse("2022-11-03T12:00:00+08:00"), UploadEnd = DateTimeOffset.Parse("2022-11-10T00:00:00+08:00"),
        }, digest: "08:30", finalBefore: TimeSpan.FromHours(36));
        var digest = plan[CampaignPlan.DailyDigest];
        Assert.Equal(DateTimeOffset.Parse("2022-11-04T08:30:00+08:00"), digest.DueAt); // 08:30 on the first day is before the window opens
        var trigger = plan.BuildTrigger(digest);
        var t = digest.DueAt;
        for (var day = 1; day <= 6; day++)
        {
            t = trigger.GetFireTimeAfter(t)!.Value;
            Assert.Equal(DateTimeOffset.Parse("2022-11-04T08:30:00+08:00").AddDays(day), t);
        }
        Assert.Equal(DateTimeOffset.Parse("2022-11-08T12:00:00+08:00"), plan[CampaignPlan.FinalReminder].DueAt);
    }

    [Fact]
    public async Task Milestones_fire_at_their_instants_and_a_digest_missed_for_days_is_sent_once()
    {
        var start = DateTimeOffset.Parse("2022-04-24T12:00:00+08:00");
        await using var world = await DeadlineWorld.CreateAsync(start);
        await world.StartAsync();
        const string wang = "wang@example.edu.cn", li = "li@example.edu.cn";

        async Task Step(DateTimeOffset at, string prefix, params string[] expected)
        {
            world.AdvanceTo(at.AddMinutes(-1));
            await DeadlineWorld.SettleAsync();
            Assert.DoesNotContain(await world.OutboxKeysAsync(prefix), k => expected.Contains(k));
            world.AdvanceTo(at);
            await DeadlineWorld.EventuallyAsync(async () => expected.All((await world.OutboxKeysAsync(prefix)).Contains), $"{prefix} at {at:O}");
        }

        await Step(DateTimeOffset.Parse("2022-04-25T00:00:00+08:00"), "preparation-start:",
            $"preparation-start:{li}:2022-04-25", $"preparation-start:{wang}:2022-04-25");
        await Step(DateTimeOffset.Parse("2022-05-05T00:00:00+08:00"), "window-open:",
            $"window-open:{li}:2022-05-05", $"window-open:{wang}:2022-05-05");
        await Step(DateTimeOffset.Parse("2022-05-05T09:00:00+08:00"), "digest:", $"digest:{li}:2022-05-05", $"digest:{wang}:2022-05-05");

        // Three digests missed at once (as if the service were down from 05-06 08:00 to 05-08 10:00): one digest, now.
        world.AdvanceTo(DateTimeOffset.Parse("2022-05-06T08:00:00+08:00"));
        await DeadlineWorld.SettleAsync();
        world.AdvanceTo(DateTimeOffset.Parse("2022-05-08T10:00:00+08:00"));
        await DeadlineWorld.EventuallyAsync(async () => (await world.OutboxKeysAsync("digest:")).Count == 4, "one catch-up digest per teacher");
        await DeadlineWorld.SettleAsync();
        Assert.Equal([$"digest:{li}:2022-05-05", $"digest:{li}:2022-05-08", $"digest:{wang}:2022-05-05", $"digest:{wang}:2022-05-08"],
            await world.OutboxKeysAsync("digest:"));
        await Step(DateTimeOffset.Parse("2022-05-09T09:00:00+08:00"), "digest:", $"digest:{li}:2022-05-09", $"digest:{wang}:2022-05-09");

        await Step(DateTimeOffset.Parse("2022-05-11T00:00:00+08:00"), "final-reminder:",
            $"final-reminder:{li}:2022-05-11", $"final-reminder:{wang}:2022-05-11");
        await Step(DateTimeOffset.Parse("2022-05-12T00:00:00+08:00"), "window-close:", $"window-close:admin:{DeadlineWorld.Admin}:2022-05-12");

        // After the window, with nothing pending, the digest stays quiet; a pending deadline brings it back for that teacher only.
        world.AdvanceTo(DateTimeOffset.Parse("2022-05-12T09:00:00+08:00"));
        await DeadlineWorld.SettleAsync();
        Assert.DoesNotContain(await world.OutboxKeysAsync("digest:"), k => k.EndsWith("2022-05-12"));
        await world.AddSubmissionAsync(3, "awaiting_review", world.Time.GetUtcNow());
        await Step(DateTimeOffset.Parse("2022-05-13T09:00:00+08:00"), "digest:", $"digest:{li}:2022-05-13");
        Assert.DoesNotContain($"digest:{wang}:2022-05-13", await world.OutboxKeysAsync("digest:"));

        // Every one-shot milestone fired once, and the digest once per day it ran.
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM audit_log WHERE subject = 'milestone:window-open'"));
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM audit_log WHERE subject = 'milestone:window-close'"));
        var data = await world.CountAsync("SELECT count(*) FROM outbox WHERE idempotency_key = @k AND data LIKE '%\"teacher_name\":\"王老师\"%' AND data LIKE '%20级计算机1班%'",
            new { k = $"window-open:{wang}:2022-05-05" });
        Assert.Equal(1, data);
    }
}
