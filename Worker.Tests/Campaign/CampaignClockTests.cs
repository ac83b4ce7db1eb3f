using CollectionWorker.Campaign;

namespace CollectionWorker.Tests.Campaign;

/// <summary>
/// Campaign dates are Asia/Shanghai whatever the server's zone: nothing here may depend on the
/// machine's local zone (.ci/run runs the whole suite with TZ=America/New_York to prove it).
/// </summary>
public class CampaignClockTests
{
    private static CampaignClock Clock() => new(TimeProvider.System, new CampaignOptions());

    [Fact]
    public void An_instant_just_after_midnight_in_Shanghai_is_that_day_there()
    {
        // 2022-05-04T16:30Z is 2022-05-05 00:30 in Shanghai, and still 4 May in New York and London.
        var instant = new DateTimeOffset(2022, 5, 4, 16, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateOnly(2022, 5, 5), Clock().LocalDate(instant));
        Assert.Equal("2022-05-05 00:30 +08:00", Clock().Format(instant));
    }

    [Fact]
    public void The_default_window_ends_at_midnight_after_11_May_Shanghai()
    {
        var o = new CampaignOptions();
        Assert.Equal(new DateTimeOffset(2022, 5, 11, 16, 0, 0, TimeSpan.Zero), o.UploadEnd.ToUniversalTime());
        Assert.Equal(new DateTimeOffset(2022, 5, 4, 16, 0, 0, TimeSpan.Zero), o.UploadStart.ToUniversalTime());
    }

    [Fact]
    public void The_process_zone_does_not_leak_into_conversions()
    {
        var clock = Clock();
        var instant = new DateTimeOffset(2022, 5, 11, 15, 59, 59, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromHours(8), clock.ToLocal(instant).Offset);
        Assert.Equal(new DateOnly(2022, 5, 11), clock.LocalDate(instant));
    }
}
