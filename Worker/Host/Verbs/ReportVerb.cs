using CollectionWorker.Report;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>report [--out DIR]: writes the HTML progress report (data/report/ by default) and prints its path.</summary>
public sealed class ReportVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var folder = commandLine.Get("--out");
        if (folder is not null && File.Exists(folder))
            throw new InputRejectedException($"--out {folder}：这是文件，请给出文件夹 (that is a file; give a folder for the report).");
        string path;
        try
        {
            path = await host.Services.GetRequiredService<ReportFile>().WriteAsync(folder, ct);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InputRejectedException($"--out {folder}：无法在此写入报告 (cannot write the report there: {e.Message}).");
        }
        await stdout.WriteLineAsync(path);
        return Cli.Ok;
    }
}
