using CollectionWorker.Report;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>report [--out DIR]: writes the HTML progress report (data/report/ by default) and prints its path.</summary>
public sealed class ReportVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var out_ = commandLine.Get("--out");
        if (out_ is not null && File.Exists(out_))
            throw new InputRejectedException($"--out {out_}: that is a file; give a folder for the report. --out 应为文件夹。");
        string path;
        try
        {
            path = await host.Services.GetRequiredService<ReportFile>().WriteAsync(out_, ct);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InputRejectedException($"--out {out_}: cannot write the report there ({e.Message}). 无法写入报告。");
        }
        await stdout.WriteLineAsync(path);
        return Cli.Ok;
    }
}
