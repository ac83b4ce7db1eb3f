using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CollectionWorker.Deadlines;

/// <summary>
/// Plans deadlines and milestones into the persistent scheduler at start (before the host reports
/// started) and then every Deadlines:PlanEvery, so rows the deciding stages add are scheduled soon.
/// </summary>
public sealed class DeadlineService(
    ISchedulerFactory schedulers,
    DeadlinePlanner planner,
    IOptions<DeadlinesOptions> options,
    TimeProvider time,
    ILogger<DeadlineService> logger) : BackgroundService
{
    private IScheduler? _scheduler;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        _scheduler = await schedulers.GetScheduler(cancellationToken);
        var r = await planner.PlanAsync(_scheduler, cancellationToken);
        logger.LogInformation("Deadline plan ready in {Milliseconds} ms: {Pending} pending deadline(s), {TriggersAdded} trigger(s) added",
            (long)time.GetElapsedTime(started).TotalMilliseconds, r.Pending, r.TriggersAdded);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PlanEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await planner.PlanAsync(_scheduler!, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Deadline planning failed; will retry in {Every}", options.Value.PlanEvery);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
