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
        logger.LogInformation("CollectionWorker starting; data directory {DataDirectory}, store {Database}", paths.Root, paths.DatabaseFile);
        await host.RunAsync(ct);
        logger.LogInformation("CollectionWorker stopped");
        return Cli.Ok;
    }
}
