using System.Text.Json;
using CollectionWorker.Deadlines;
using CollectionWorker.Host;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Quartz;

namespace CollectionWorker.Tests.Deadlines;

public class ReplanAndScheduleVerbTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2022-05-01T12:00:00+08:00");

    [Fact]
    public async Task Changing_the_dates_in_config_and_restarting_re_plans_the_milestones_and_nothing_fires_twice()
    {
        await using var world = await DeadlineWorld.CreateAsync(Now);
        await world.StartAsync();
        await DeadlineWorld.EventuallyAsync(async () => (await world.OutboxKeysAsync("preparation-start:")).Count == 2, "preparation reminders");
        await world.StopAsync();

        world.Host.WriteSettings(DeadlineWorld.Settings(
            """
            , "Campaign": { "UploadStart": "2022-05-07T00:00:00+08:00", "UploadEnd": "2022-05-14T00:00:00+08:00", "PreparationEnd": "2022-05-07T00:00:00+08:00" }
            """).Replace("\"PlanEvery\"", "\"FinalReminderBefore\": \"12:00:00\", \"PlanEvery\"").Replace("\"StudioEmail\"", "\"DigestTime\": \"18:00\", \"StudioEmail\""));
        await world.StartAsync();

        var scheduler = await world.Get<ISchedulerFactory>().GetScheduler();
        async Task<DateTimeOffset?> Next(string milestone) =>
            (await scheduler.GetTrigger(new TriggerKey(milestone, DeadlineScheduling.MilestoneGroup)))?.NextFireTimeUtc;
        Assert.Equal(DateTimeOffset.Parse("2022-05-07T00:00:00+08:00"), await Next(CampaignPlan.WindowOpen));
        Assert.Equal(DateTimeOffset.Parse("2022-05-07T18:00:00+08:00"), await Next(CampaignPlan.DailyDigest));
        Assert.Equal(DateTimeOffset.Parse("2022-05-13T12:00:00+08:00"), await Next(CampaignPlan.FinalReminder));
        Assert.Equal(DateTimeOffset.Parse("2022-05-14T00:00:00+08:00"), await Next(CampaignPlan.WindowClose));
        Assert.Null(await Next(CampaignPlan.PreparationStart)); // unchanged and already fired: not armed again

        // The old window-open instant passes quietly; the new one sends, with the new date in its keys.
        world.AdvanceTo(DateTimeOffset.Parse("2022-05-05T00:30:00+08:00"));
        await DeadlineWorld.SettleAsync();
        Assert.Empty(await world.OutboxKeysAsync("window-open:"));
        world.AdvanceTo(DateTimeOffset.Parse("2022-05-07T00:00:00+08:00"));
        await DeadlineWorld.EventuallyAsync(async () => (await world.OutboxKeysAsync("window-open:")).Count == 2, "window-open at the new date");
        Assert.All(await world.OutboxKeysAsync("window-open:"), k => Assert.EndsWith(":2022-05-07", k));
        Assert.Equal(1, await world.CountAsync("SELECT count(*) FROM audit_log WHERE subject = 'milestone:preparation-start'"));
        Assert.Equal(2, (await world.OutboxKeysAsync("preparation-start:")).Count);

        // schedule --json, on the same fake clock: campaign time, milestones, nearest deadlines first.
        var late = await world.AddSubmissionAsync(1, "rejected", world.Time.GetUtcNow(), world.Time.GetUtcNow(),
            world.RejectedAt(world.Time.GetUtcNow().AddHours(1)));
        var soon = await world.AddSubmissionAsync(3, "rejected", world.Time.GetUtcNow(), world.Time.GetUtcNow(),
            world.RejectedAt(world.Time.GetUtcNow()));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, await Cli.RunAsync(["schedule", "--json", "--config", world.Host.ConfigDirectory, "--data", world.Host.DataDirectory],
            stdout, stderr, world.Time));
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.Equal("Asia/Shanghai", root.GetProperty("time_zone").GetString());
        var milestones = root.GetProperty("milestones").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal("2022-05-07T18:00:00+08:00", milestones[CampaignPlan.DailyDigest].GetProperty("next_fire").GetString());
        Assert.Equal("2022-05-13T12:00:00+08:00", milestones[CampaignPlan.FinalReminder].GetProperty("next_fire").GetString());
        Assert.Equal(JsonValueKind.Null, milestones[CampaignPlan.WindowOpen].GetProperty("next_fire").ValueKind);
        var deadlines = root.GetProperty("deadlines").EnumerateArray().ToList();
        Assert.Equal([soon, late], deadlines.Select(d => d.GetProperty("submission_id").GetInt64()));
        Assert.Equal("2022-05-09T00:00:00+08:00", deadlines[0].GetProperty("due").GetString());
        Assert.Equal(48.0, deadlines[0].GetProperty("hours_left").GetDouble());

        stdout = new StringWriter();
        Assert.Equal(0, await Cli.RunAsync(["schedule", "--config", world.Host.ConfigDirectory, "--data", world.Host.DataDirectory], stdout, stderr, world.Time));
        Assert.Contains("2022-05-09 00:00 +08:00", stdout.ToString());
        Assert.Contains("Nearest 2 of 2 pending deadline(s)", stdout.ToString());
    }

    [Fact]
    public async Task Bad_deadline_settings_are_refused_naming_key_value_and_what_is_allowed()
    {
        using var host = new TestHost("""
            { "Deadlines": { "ReviewSlaWarningAfter": "3.00:00:00", "FinalReminderBefore": "00:00:00", "PlanEvery": "00:00:00.1", "SchedulerDatabase": "" } }
            """);
        var (exit, _, err) = await host.RunAsync("check-config");
        Assert.Equal(1, exit);
        Assert.Contains("Deadlines:ReviewSlaWarningAfter = 3.00:00:00", err);
        Assert.Contains("less than Campaign:ReviewSla", err);
        Assert.Contains("Deadlines:FinalReminderBefore = 00:00:00", err);
        Assert.Contains("Deadlines:PlanEvery = 00:00:00.1000000", err);
        Assert.Contains("Deadlines:SchedulerDatabase is empty", err);

        using var ok = new TestHost();
        using (await ok.BuildAsync()) { } // schedule reads an existing data directory
        var (okExit, okOut, _) = await ok.RunAsync("schedule");
        Assert.Equal(0, okExit);
        Assert.Contains("window-open", okOut);
        Assert.Contains("No pending deadlines.", okOut);
    }
}
