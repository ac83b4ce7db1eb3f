using Quartz;

namespace CollectionWorker.Deadlines;

/// <summary>
/// Fires one deadline row (its id is on the trigger). Quartz stores this class's full type name in
/// its job store: keep the name and namespace stable, or stored jobs no longer load.
/// </summary>
public sealed class DeadlineJob(DeadlineActions actions) : IJob
{
    public const string DeadlineIdKey = "deadline-id";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        context.Result = await actions.RunAsync(context.MergedJobDataMap.GetLong(DeadlineIdKey), cancellationToken);
}

/// <summary>
/// Fires one campaign milestone (its name is on the trigger). Quartz stores this class's full type
/// name in its job store: keep the name and namespace stable, or stored jobs no longer load.
/// </summary>
public sealed class MilestoneJob(MilestoneActions actions) : IJob
{
    public const string MilestoneKey = "milestone";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        context.Result = await actions.RunAsync(context.MergedJobDataMap.GetString(MilestoneKey)!, context.FireTimeUtc, cancellationToken);
}
