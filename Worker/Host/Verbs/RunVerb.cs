using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Host.Verbs;

/// <summary>The long-running service; stops cleanly on Ctrl+C, SIGTERM or a service stop.</summary>
public sealed class RunVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CollectionWorker");
        var paths = host.Services.GetRequiredService<DataPaths>();
        logger.LogInformation("CollectionWorker starting; data directory {DataDirectory}, store {Database}", paths.Root, host.Services.GetRequiredService<Database>().File);
        foreach (var warning in ConfigurationWarnings.Of(host.Services)) logger.LogWarning("{Warning}", warning);
        var failure = host.Services.GetRequiredService<ServiceFailure>(); // RunAsync disposes the services
        await host.RunAsync(ct);
        if (failure.Reason is { } reason)
        {
            logger.LogCritical("CollectionWorker stopped on an error");
            await stderr.WriteLineAsync($"error: {reason}");
            return Cli.Rejected;
        }
        logger.LogInformation("CollectionWorker stopped");
        return Cli.Ok;
    }
}
