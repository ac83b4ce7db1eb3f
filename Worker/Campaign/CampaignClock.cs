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
    /// An instant written out for a student, in campaign time, Chinese and English:
    /// "2022年5月9日 14:30（北京时间）" and "9 May 2022, 14:30 Beijing time (UTC+08:00)". A zone other
    /// than China's is named with its offset instead.
    /// </summary>
    public (string Zh, string En) Written(DateTimeOffset instant)
    {
        var local = ToLocal(instant);
        var offset = $"UTC{(local.Offset < TimeSpan.Zero ? '-' : '+')}{local.Offset.Duration().ToString(@"hh\:mm", System.Globalization.CultureInfo.InvariantCulture)}";
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var zh = $"{local.Year}年{local.Month}月{local.Day}日 {local.ToString("HH:mm", inv)}";
        var en = $"{local.Day} {local.ToString("MMMM yyyy, HH:mm", inv)}";
        return IsChinaTime
            ? ($"{zh}（北京时间）", $"{en} Beijing time ({offset})")
            : ($"{zh}（{Zone.Id}，{offset}）", $"{en} {Zone.Id} time ({offset})");
    }

    /// <summary>The campaign runs on China Standard Time (Asia/Shanghai or another name of it): "北京时间".</summary>
    private bool IsChinaTime => Zone.Id is "Asia/Shanghai" or "Asia/Chongqing" or "Asia/Harbin" or "PRC" or "China Standard Time"
                                && Zone.BaseUtcOffset == TimeSpan.FromHours(8);

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
