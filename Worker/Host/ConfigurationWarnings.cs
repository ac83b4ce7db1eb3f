using CollectionWorker.Campaign;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Host;

/// <summary>
/// Settings that are valid but probably not meant: today only the upload window lying wholly in the
/// past (the shipped file keeps the notice's 2022 dates). check-config prints them; the service logs them.
/// </summary>
public static class ConfigurationWarnings
{
    public static List<string> Of(IServiceProvider services)
    {
        var warnings = new List<string>();
        var c = services.GetRequiredService<IOptions<CampaignOptions>>().Value;
        var clock = services.GetRequiredService<CampaignClock>();
        var now = clock.UtcNow;
        if (now >= c.UploadEnd)
            warnings.Add(
                $"Campaign:UploadEnd = {clock.Format(c.UploadEnd)} 已经过去（现在 {clock.Format(now)}）：这是以往采集活动的日期，请先设置本次的 " +
                "Campaign:PreparationStart、PreparationEnd、UploadStart、UploadEnd。 " +
                $"Campaign:UploadEnd = {clock.Format(c.UploadEnd)} is already past (now {clock.Format(now)}): these are a past campaign's dates. " +
                "Set this campaign's Campaign:PreparationStart, PreparationEnd, UploadStart and UploadEnd before the first start " +
                "(a new data directory does not send a past campaign's notices, report or export, but no upload would be in the window).");
        return warnings;
    }
}
