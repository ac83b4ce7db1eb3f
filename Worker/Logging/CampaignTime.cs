using CollectionWorker.Campaign;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Logging;

/// <summary>
/// The campaign's time zone for log lines. Unlike <see cref="CampaignClock"/> it never throws: a
/// wrong <c>Campaign:TimeZone</c> is reported by the options check, and until then lines are in UTC.
/// </summary>
public sealed class CampaignTime(TimeProvider time, IOptions<CampaignOptions> campaign)
{
    private readonly TimeZoneInfo _zone = CampaignClock.TryFindZone(campaign.Value.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(time.GetUtcNow(), _zone);
}
