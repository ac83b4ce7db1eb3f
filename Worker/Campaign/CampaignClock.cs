namespace CollectionWorker.Campaign;

/// <summary>
/// Converts between UTC instants (what the store keeps) and campaign-local time (Asia/Shanghai by
/// default), whatever time zone the server runs in.
/// </summary>
public sealed class CampaignClock
{
    public CampaignClock(TimeProvider time, CampaignOptions options)
    {
        Time = time;
        if (!TryFindZone(options.TimeZone, out var zone))
            throw new ArgumentException($"Campaign:TimeZone '{options.TimeZone}' is not a known time zone.");
        Zone = zone;
    }

    public TimeProvider Time { get; }
    public TimeZoneInfo Zone { get; }

    public DateTimeOffset UtcNow => Time.GetUtcNow();

    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>Campaign-local calendar date of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);

    /// <summary>Formats an instant for people: campaign-local, minutes, with the zone's offset.</summary>
    public string Format(DateTimeOffset instant) => ToLocal(instant).ToString("yyyy-MM-dd HH:mm zzz");

    /// <summary>
    /// An instant for a file name: campaign-local time with its offset, and no character a file
    /// system refuses (<c>20220505-093015+0800</c>). Every stamped file name (roster-inbox, review
    /// sheets and receipts) uses it, so names sort by time and say which clock they follow.
    /// </summary>
    public string FileStamp(DateTimeOffset instant)
    {
        var local = ToLocal(instant);
        var offset = local.Offset;
        return $"{local:yyyyMMdd-HHmmss}{(offset < TimeSpan.Zero ? '-' : '+')}{offset.Duration():hhmm}";
    }

    public static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
