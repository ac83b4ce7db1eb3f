using CollectionWorker.Host;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Store;

/// <summary>
/// Looks every Storage:CheckEvery whether the store is still the file the service opened (device and
/// inode on Linux). If it was deleted or replaced, the service stops with a clear error rather than go
/// on writing records into a file nobody will read again. (Every connection checks the same before it
/// opens, so no stage writes after the change is seen.)
/// </summary>
public sealed class StoreWatch(
    Database database,
    ServiceFailure failure,
    IHostApplicationLifetime lifetime,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<StoreWatch> logger) : PollingService(time, logger)
{
    protected override TimeSpan Period => options.Value.CheckEvery;
    protected override string RoundName => "Store check";

    protected override Task PollAsync(CancellationToken ct)
    {
        if (database.IdentityProblem() is { } problem)
        {
            var message = $"{problem} {StoreMessages.StopAndRestore}";
            logger.LogCritical("{Problem}", message);
            failure.Record(message);
            lifetime.StopApplication();
        }
        return Task.CompletedTask;
    }
}
