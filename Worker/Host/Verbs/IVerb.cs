using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

public interface IVerb
{
    Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct);
}
