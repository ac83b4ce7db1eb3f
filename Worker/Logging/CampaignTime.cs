using CollectionWorker.Campaign;
using Microsoft.Extensions.Configuration;

namespace CollectionWorker.Logging;

/// <summary>
/// The campaign's time zone for log lines. Read from the raw setting, not the validated options:
/// logging must work while a wrong setting is being reported (the options check names it), and
/// until the zone is known lines are in UTC.
/// </summary>
public sealed class CampaignTime(TimeProvider time, IConfiguration configuration)
{
    private readonly TimeZoneInfo _zone =
        CampaignClock.TryFindZone(configuration[$"{CampaignOptions.Section}:TimeZone"] ?? new CampaignOptions().TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(time.GetUtcNow(), _zone);
}
