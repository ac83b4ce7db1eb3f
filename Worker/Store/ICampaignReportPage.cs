namespace CollectionWorker.Store;

/// <summary>
/// The HTML progress report, as other stages need it: the admin report e-mail attaches it
/// (Notifications), the window-close milestone writes it into report/ (Deadlines). Implemented by
/// <c>Report/ReportFile.cs</c> and registered with the Report stage's services.
/// </summary>
public interface ICampaignReportPage
{
    /// <summary>The page as bytes (UTF-8), for an e-mail attachment.</summary>
    Task<byte[]> RenderAsync(CancellationToken ct = default);

    /// <summary>The attachment's and the file's name: 采集报告-yyyyMMdd-HHmm.html in campaign time.</summary>
    string FileName();

    /// <summary>Writes the page into <paramref name="folder"/> (default <c>report/</c>) and returns its full path.</summary>
    Task<string> WriteAsync(string? folder = null, CancellationToken ct = default);
}
