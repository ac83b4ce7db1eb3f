using System.Text;
using CollectionWorker.Campaign;
using CollectionWorker.Store;

namespace CollectionWorker.Report;

/// <summary>Writes the HTML progress report into the data directory's <c>report/</c> folder (or another folder), whole or not at all.</summary>
public sealed class ReportFile(CampaignReportReader reader, DataPaths paths, CampaignClock clock) : ICampaignReportPage
{
    public string DefaultFolder => Path.Combine(paths.Root, "report");

    /// <summary>The page as bytes (UTF-8), for an e-mail attachment.</summary>
    public async Task<byte[]> RenderAsync(CancellationToken ct = default) =>
        Encoding.UTF8.GetBytes(ReportPage.Render(await reader.ReadAsync(ct)));

    /// <summary>The attachment's and the file's name: 采集报告-yyyyMMdd-HHmm.html in campaign time.</summary>
    public string FileName() => $"采集报告-{clock.ToLocal(clock.UtcNow):yyyyMMdd-HHmm}.html";

    /// <summary>Writes the page into <paramref name="folder"/> (default <c>report/</c>) and returns its full path.</summary>
    public async Task<string> WriteAsync(string? folder = null, CancellationToken ct = default)
    {
        var dir = Path.GetFullPath(folder ?? DefaultFolder);
        Directory.CreateDirectory(dir);
        var bytes = await RenderAsync(ct);
        var target = Path.Combine(dir, FileName());
        // Written beside and moved into place, so nobody opens half a page.
        var temp = target + ".partial";
        try
        {
            await File.WriteAllBytesAsync(temp, bytes, ct);
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return target;
    }
}
