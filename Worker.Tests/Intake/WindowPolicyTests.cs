using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CollectionWorker.Tests.Intake;

/// <summary>
/// Early / in window / late against the configured window (Asia/Shanghai), on the running stage
/// with a fake clock. Files are taken as soon as they can be opened (StableFor 0): the fake clock
/// does not move on its own.
/// </summary>
public class WindowPolicyTests
{
    // The notice's window: 2022-05-05 00:00 to 2022-05-12 00:00 (exclusive), Asia/Shanghai.
    private static readonly DateTimeOffset Opens = DateTimeOffset.Parse("2022-05-05T00:00:00+08:00");
    private static readonly DateTimeOffset Closes = DateTimeOffset.Parse("2022-05-12T00:00:00+08:00");
    private static readonly TestStudent[] Students = Enumerable.Range(1, 4).Select(i => TestStudent.Make(i)).ToArray();

    /// <summary>A PostgreSQL connection string in the subclass that runs this suite on PostgreSQL; null: SQLite.</summary>
    protected virtual Task<string?> PostgresAsync() => Task.FromResult<string?>(null);

    private async Task<IntakeHarness> StartedAsync(FakeTimeProvider clock, object? intake = null)
    {
        var h = new IntakeHarness(intake ?? new { StableFor = "00:00:00", RescanEvery = "00:00:30" }, Opens, Closes, postgres: await PostgresAsync());
        await h.ImportRosterAsync(Students);
        await h.StartAsync(clock);
        return h;
    }

    [Fact]
    public async Task An_early_upload_is_held_until_the_window_opens_then_released_for_inspection()
    {
        var clock = new FakeTimeProvider(Opens.AddHours(-3));
        await using var h = await StartedAsync(clock);
        h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1));
        await h.WaitForSubmissionsAsync(1);
        var held = Assert.Single(await h.SubmissionsAsync());
        Assert.Equal(("early", "held"), (held.window_stamp, held.state));

        var (_, status, _) = await h.Cli.RunAsync("status");
        Assert.Contains("held until the window opens", status);

        clock.Advance(TimeSpan.FromHours(3));
        await IntakeHarness.WaitUntilAsync(async () => (await h.SubmissionsAsync())[0].state == "awaiting_inspection", what: "release at window open");
        Assert.Equal("early", (await h.SubmissionsAsync())[0].window_stamp);
    }

    [Fact]
    public async Task An_early_upload_can_be_refused_by_policy()
    {
        var clock = new FakeTimeProvider(Opens.AddMinutes(-1));
        await using var h = await StartedAsync(clock, new { StableFor = "00:00:00", EarlyPolicy = "Refuse" });
        h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1));
        var reason = await h.WaitForReasonAsync(h.Refused, $"{Students[0].StudentNumber}.jpg");
        Assert.Contains("EARLY", reason);
        Assert.Contains("2022-05-05 00:00 +08:00", reason);
    }

    [Fact]
    public async Task An_upload_in_the_window_is_stamped_in_window_up_to_the_last_millisecond()
    {
        var clock = new FakeTimeProvider(Closes.AddMilliseconds(-1));
        await using var h = await StartedAsync(clock);
        h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1));
        await h.WaitForSubmissionsAsync(1);
        var row = Assert.Single(await h.SubmissionsAsync());
        Assert.Equal(("in_window", "awaiting_inspection"), (row.window_stamp, row.state));
        Assert.Equal(Closes.AddMilliseconds(-1), UtcTimestamp.Parse(row.received_at));
    }

    [Fact]
    public async Task A_late_upload_is_refused_with_the_reason()
    {
        var clock = new FakeTimeProvider(Closes);
        await using var h = await StartedAsync(clock);
        h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1));
        var reason = await h.WaitForReasonAsync(h.Refused, $"{Students[0].StudentNumber}.jpg");
        Assert.Contains("LATE", reason);
        Assert.Contains("2022-05-12 00:00 +08:00", reason);
        Assert.Contains("not inside a resubmission period", reason);
        Assert.Empty(await h.SubmissionsAsync());
    }

    [Fact]
    public async Task A_late_upload_is_recorded_and_marked_late_when_policy_accepts_it()
    {
        var clock = new FakeTimeProvider(Closes.AddDays(1));
        await using var h = await StartedAsync(clock, new { StableFor = "00:00:00", LatePolicy = "Accept" });
        h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1));
        await h.WaitForSubmissionsAsync(1);
        var row = Assert.Single(await h.SubmissionsAsync());
        Assert.Equal(("late", "awaiting_inspection"), (row.window_stamp, row.state));
    }

    [Fact]
    public async Task A_late_resubmission_inside_the_48h_after_a_rejection_is_taken_and_one_after_it_is_refused()
    {
        var clock = new FakeTimeProvider(Closes.AddHours(-2));
        await using var h = await StartedAsync(clock);
        h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1));
        h.Drop($"{Students[1].StudentNumber}.jpg", FakeJpeg.Make(2));
        await h.WaitForSubmissionsAsync(2);

        // The review stage rejects both an hour before the close: 48 h to upload again, past the window's end.
        var rejectedAt = Closes.AddHours(-1);
        await h.ExecuteAsync("UPDATE submissions SET state = 'rejected', state_changed_at = @at, resubmit_deadline = @deadline",
            new { at = UtcTimestamp.ToText(rejectedAt), deadline = UtcTimestamp.ToText(rejectedAt.AddHours(48)) });

        clock.SetUtcNow(rejectedAt.AddHours(47).AddMinutes(59));
        h.Drop($"{Students[0].StudentNumber}_{Students[0].Name}.jpg", FakeJpeg.Make(3));
        await h.WaitForSubmissionsAsync(3);
        var rows = await h.SubmissionsAsync();
        var again = rows.Single(r => r.attempt == 2);
        Assert.Equal((Students[0].StudentNumber, "late", "awaiting_inspection"), (again.student_number, again.window_stamp, again.state));
        Assert.Equal("superseded", rows.Single(r => r.student_number == Students[0].StudentNumber && r.attempt == 1).state);

        // The other student's period ran out: refused, counted as not photographed.
        clock.SetUtcNow(rejectedAt.AddHours(48));
        h.Drop($"{Students[1].StudentNumber}.jpg", FakeJpeg.Make(4));
        var reason = await h.WaitForReasonAsync(h.Refused, $"{Students[1].StudentNumber}.jpg");
        Assert.Contains("RESUBMISSION_EXPIRED", reason);
        Assert.Contains("视为没拍", reason);
        Assert.Equal(3, (await h.SubmissionsAsync()).Count);
    }

    [Fact]
    public async Task Received_today_counts_the_campaign_local_day_not_the_servers_or_UTC()
    {
        // 23:50 and 00:10 Shanghai time fall on the same UTC date but on two campaign days.
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2022-05-06T23:50:00+08:00"));
        await using var h = await StartedAsync(clock);
        h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1));
        await h.WaitForSubmissionsAsync(1);
        clock.SetUtcNow(DateTimeOffset.Parse("2022-05-07T00:10:00+08:00"));
        h.Drop($"{Students[1].StudentNumber}.jpg", FakeJpeg.Make(2));
        h.Drop($"{Students[2].StudentNumber}.jpg", FakeJpeg.Make(3));
        await h.WaitForSubmissionsAsync(3);

        var counts = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<CollectionWorker.Intake.IntakeReport>(h.Services).CountAsync();
        Assert.Equal(2, counts.ReceivedToday);
        Assert.Equal(3, counts.AwaitingInspection);
    }
}

/// <summary>The same suite on a PostgreSQL store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WindowPolicyOnPostgresTests(PostgresServer server) : WindowPolicyTests
{
    protected override async Task<string?> PostgresAsync() => await server.CreateDatabaseAsync();
}
