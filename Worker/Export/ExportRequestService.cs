using CollectionWorker.Host;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Export;

/// <summary>
/// The export stage's side of <c>export_requests</c>: while the service runs, looks for requests
/// (written by the deadlines stage at window close and after the last resubmission deadline) every few
/// seconds and at start, so a request written just before a stop is run after the restart.
/// </summary>
public sealed class ExportRequestService(AutoExport autoExport, TimeProvider time, ILogger<ExportRequestService> logger)
    : PollingService(time, logger)
{
    /// <summary>How often the requests are looked at; an export asked for at a deadline can wait this long.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override TimeSpan Period => Every;
    protected override string RoundName => "Export request scan";
    protected override Task PollAsync(CancellationToken ct) => autoExport.RunPendingAsync(ct);
}
