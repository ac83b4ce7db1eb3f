using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Host;

/// <summary>
/// A stage that looks at its work every so often: once at start, then on a timer driven by the app's
/// TimeProvider. A failed round is logged and the next one tries again; the service never stops for it.
/// </summary>
public abstract class PollingService(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>How often to look.</summary>
    protected abstract TimeSpan Period { get; }

    /// <summary>What a failed round is called in the log ("Roster inbox scan").</summary>
    protected abstract string RoundName { get; }

    /// <summary>One round of work.</summary>
    protected abstract Task PollAsync(CancellationToken ct);

    /// <summary>False to do nothing at all (a stage switched off in configuration).</summary>
    protected virtual bool Enabled => true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "{Round} failed; will retry", RoundName);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
