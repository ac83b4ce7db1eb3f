using CollectionWorker.Report;

namespace CollectionWorker.Tests.Report;

public class ReviewBinsTests
{
    private static ReviewTime Item(double hours, bool waiting = false) =>
        new("2020000001", "学生", "班", DateTimeOffset.UnixEpoch, waiting ? null : DateTimeOffset.UnixEpoch.AddHours(hours), hours, "张");

    [Fact]
    public void A_decision_exactly_at_the_sla_is_in_time_and_one_a_minute_later_is_late_and_named()
    {
        var times = new ReviewTimes(TimeSpan.FromHours(48), [Item(0), Item(6), Item(48), Item(48.1), Item(100), Item(50, waiting: true)]);
        var bins = Charts.ReviewBins(times);
        Assert.Equal(["0–6 h", "6–12 h", "12–24 h", "24–36 h", "36–48 h", "48–72 h", "> 72 h"], bins.Select(b => b.Label));
        Assert.Equal([2, 0, 0, 0, 1, 0, 0], bins.Select(b => b.DecidedInTime));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1], bins.Select(b => b.DecidedLate));
        Assert.Equal([0, 0, 0, 0, 0, 1, 0], bins.Select(b => b.Waiting));
        Assert.Equal(times.Items.Count, bins.Sum(b => b.DecidedInTime + b.DecidedLate + b.Waiting));
        Assert.Equal([100, 50, 48.1], times.Overdue.Select(o => o.Hours));
    }
}
