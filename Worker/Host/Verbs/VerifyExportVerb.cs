using CollectionWorker.Export;
using CollectionWorker.Host.Progress;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>verify-export DIR: every missing, extra or altered file on its own line; exit 0 only when all match.</summary>
public sealed class VerifyExportVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        VerifyResult result;
        await using var progress = await CommandProgress.StartAsync(host, stderr);
        try
        {
            result = await ExportVerifier.VerifyAsync(commandLine.Arguments[0], ct, progress);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new InputRejectedException(e.Message);
        }
        await progress.DisposeAsync();
        foreach (var f in result.Missing) await stdout.WriteLineAsync($"missing  {f}");
        foreach (var f in result.Extra) await stdout.WriteLineAsync($"extra    {f}");
        foreach (var f in result.Altered) await stdout.WriteLineAsync($"altered  {f}");
        await stdout.WriteLineAsync(result.Ok
            ? $"OK: {result.Checked} files match the manifest."
            : $"NOT OK: {result.Missing.Count} missing, {result.Extra.Count} extra, {result.Altered.Count} altered of {result.Checked} listed.");
        return result.Ok ? Cli.Ok : Cli.Rejected;
    }
}
