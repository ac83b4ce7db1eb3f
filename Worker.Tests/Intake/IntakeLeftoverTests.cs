using CollectionWorker.Intake;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace CollectionWorker.Tests.Intake;

/// <summary>
/// Two leftovers from intake (issue 16): an older photo sent again after a newer one becomes the
/// current submission again, and a file that reached the drop folder while the service was down is
/// stamped with when it arrived (its time stamp, bounded by the service's last scan), not when the
/// service came back.
/// </summary>
public sealed class IntakeLeftoverTests
{
    private static readonly DateTimeOffset Opens = DateTimeOffset.Parse("2022-05-05T00:00:00+08:00");
    private static readonly DateTimeOffset Closes = DateTimeOffset.Parse("2022-05-12T00:00:00+08:00");
    private static readonly TestStudent[] Students = Enumerable.Range(1, 3).Select(i => TestStudent.Make(i)).ToArray();

    [Fact]
    public async Task An_older_photo_sent_again_after_a_newer_one_becomes_the_current_submission_again()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00", RescanEvery = "00:00:01" });
        await h.ImportRosterAsync(Students);
        await h.StartAsync();
        var number = Students[0].StudentNumber;
        var older = FakeJpeg.Make(1);
        var newer = FakeJpeg.Make(2);

        await IntakeHarness.WaitGoneAsync(h.Drop($"{number}.jpg", older));
        await h.WaitForSubmissionsAsync(1);
        await IntakeHarness.WaitGoneAsync(h.Drop($"{number}.jpg", newer));
        await h.WaitForSubmissionsAsync(2);
        h.Drop($"{number}.jpg", older);
        await h.WaitForSubmissionsAsync(3);
        await IntakeHarness.WaitUntilAsync(() => Directory.GetFiles(h.Inbox).Length == 0, what: "an empty inbox");

        var rows = await h.SubmissionsAsync();
        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.attempt));
        Assert.Equal(IntakeHarness.Sha256(older), rows[2].sha256);
        Assert.Equal(["superseded", "superseded", "awaiting_inspection"], rows.Select(r => r.state));

        // The same bytes once more are the current submission already: recorded once, the inbox copy removed.
        h.Drop($"{number}-again.jpg", older);
        await IntakeHarness.WaitUntilAsync(() => Directory.GetFiles(h.Inbox).Length == 0, what: "the duplicate removed");
        Assert.Equal(3, (await h.SubmissionsAsync()).Count);
        Assert.Empty(Directory.Exists(h.Refused) ? Directory.GetFiles(h.Refused) : []);
    }

    [Fact]
    public async Task A_file_that_arrived_while_the_service_was_down_is_stamped_by_its_time_bounded_by_the_last_scan()
    {
        var clock = new FakeTimeProvider(Closes.AddHours(-3));
        await using var h = new IntakeHarness(new { StableFor = "00:00:00", RescanEvery = "00:00:30" }, Opens, Closes);
        await h.ImportRosterAsync(Students);

        // Run 1 scans the drop folder three hours before the close, then the service goes down.
        await h.StartAsync(clock);
        await WaitForHeartbeatAsync(h, Closes.AddHours(-3));
        await h.StopAsync();

        // While it is down, a photo arrives an hour before the close.
        var arrived = Closes.AddHours(-1);
        var inTime = h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1));
        File.SetLastWriteTimeUtc(inTime, arrived.UtcDateTime);

        // Run 2 starts an hour after the close: the photo counts as arriving when it did, inside the window.
        clock.SetUtcNow(Closes.AddHours(1));
        await h.StartAsync(clock);
        await h.WaitForSubmissionsAsync(1);
        var row = Assert.Single(await h.SubmissionsAsync());
        Assert.Equal(arrived, UtcTimestamp.Parse(row.received_at));
        Assert.Equal(("in_window", "awaiting_inspection"), (row.window_stamp, row.state));
        await WaitForHeartbeatAsync(h, Closes.AddHours(1));
        await h.StopAsync();

        // While it is down again, a photo is copied in keeping an old time stamp (cp -p): it claims to be from before the close.
        var copied = h.Drop($"{Students[1].StudentNumber}.jpg", FakeJpeg.Make(2));
        File.SetLastWriteTimeUtc(copied, Closes.AddHours(-2).UtcDateTime);
        // And one whose time stamp is in the future.
        var future = h.Drop($"{Students[2].StudentNumber}.jpg", FakeJpeg.Make(3));
        File.SetLastWriteTimeUtc(future, Closes.AddDays(30).UtcDateTime);

        // Run 3: the last scan (an hour after the close) had not seen it, so it arrived after that: late, refused.
        clock.SetUtcNow(Closes.AddHours(5));
        await h.StartAsync(clock);
        var reason = await h.WaitForReasonAsync(h.Refused, $"{Students[1].StudentNumber}.jpg");
        Assert.Contains(SubmissionRecorder.LateCode, reason);
        var reasonFuture = await h.WaitForReasonAsync(h.Refused, $"{Students[2].StudentNumber}.jpg");
        Assert.Contains(SubmissionRecorder.LateCode, reasonFuture);
        Assert.Single(await h.SubmissionsAsync());
    }

    [Fact]
    public void The_arrival_time_is_the_time_stamp_clamped_between_the_last_scan_and_now()
    {
        var lastSeen = Closes.AddHours(-3);
        var now = Closes.AddHours(2);
        Assert.Equal(Closes.AddHours(-1), DropFolderHeartbeat.ArrivedAt(Closes.AddHours(-1).UtcDateTime, lastSeen, now));
        Assert.Equal(lastSeen, DropFolderHeartbeat.ArrivedAt(Closes.AddDays(-10).UtcDateTime, lastSeen, now));
        Assert.Equal(now, DropFolderHeartbeat.ArrivedAt(Closes.AddDays(10).UtcDateTime, lastSeen, now));
        // The very first start has no last scan: nothing bounds an old time stamp, so the file counts as arriving now.
        Assert.Equal(now, DropFolderHeartbeat.ArrivedAt(Closes.AddHours(-1).UtcDateTime, null, now));
    }

    private static Task WaitForHeartbeatAsync(IntakeHarness h, DateTimeOffset at) =>
        IntakeHarness.WaitUntilAsync(async () =>
                await h.ScalarAsync<string?>("SELECT last_seen FROM service_heartbeat WHERE name = 'drop-folder'") is { } t && UtcTimestamp.Parse(t) >= at,
            what: $"the drop folder's heartbeat at {at:O}");
}
