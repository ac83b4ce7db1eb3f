using CollectionWorker.Review;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CollectionWorker.Tests.Review;

public class ReviewExportScheduleTests
{
    [Fact]
    public async Task The_service_exports_at_start_and_then_every_interval_only_when_something_new_awaits_review()
    {
        using var world = await ReviewWorld.CreateAsync(extraJson: """, "ExportEvery": "01:00:00" """);
        await world.SubmitAsync(1);
        var outbox = Path.Combine(world.Host.DataDirectory, "review", "outbox");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var schedule = ActivatorUtilities.CreateInstance<ReviewExportSchedule>(world.Services.Services, (TimeProvider)clock);

        await schedule.StartAsync(CancellationToken.None);
        await WaitForAsync(() => Directory.GetFiles(outbox, "review-*.xlsx").Length == 1);

        clock.Advance(TimeSpan.FromHours(1)); // nothing new: no second sheet
        await Task.Delay(300);
        Assert.Single(Directory.GetFiles(outbox, "review-*.xlsx"));

        await world.SubmitAsync(2);
        clock.Advance(TimeSpan.FromHours(1));
        await WaitForAsync(() => Directory.GetFiles(outbox, "review-*.xlsx").Length == 2);
        await schedule.StopAsync(CancellationToken.None);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "timed out waiting for the scheduled export");
    }
}
