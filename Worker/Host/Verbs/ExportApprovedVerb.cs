using CollectionWorker.Export;
using CollectionWorker.Host.Progress;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>export-approved [--cohort NAME] [--out DIR]: prints the export folder, the zips and the manifest; exit 1 when a conflict was left for the admin.</summary>
public sealed class ExportApprovedVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ExportResult result;
        await using var progress = await CommandProgress.StartAsync(host, stderr);
        try
        {
            result = await host.Services.GetRequiredService<ApprovedExporter>().ExportAsync(commandLine.Get("--cohort"), commandLine.Get("--out"), ct, progress);
        }
        catch (ArgumentException e)
        {
            throw new InputRejectedException(e.Message);
        }
        await progress.DisposeAsync();
        foreach (var c in result.Cohorts)
            await stderr.WriteLineAsync($"{c.Cohort}: {c.Eligible} eligible, {c.Added} added, {c.Unchanged} already exported, {c.Missing} without an approved photo" +
                (c.Refused > 0 ? $", {c.Refused} refused (not a 480x640 colour JPEG, see the manifest)" : ""));
        if (result.ApprovedUnpaid is > 0)
            await stderr.WriteLineAsync($"{result.ApprovedUnpaid} 名学生照片已通过但未缴清费用（见清单“{ExportManifest.UnpaidSheet}”；不影响导出）。 " +
                $"{result.ApprovedUnpaid} approved student(s) have not fully paid the fee (manifest sheet '{ExportManifest.UnpaidSheet}'; the export is not held back).");
        foreach (var p in result.Problems) await stderr.WriteLineAsync($"warning: {p}");
        await stdout.WriteLineAsync(result.Directory);
        foreach (var c in result.Cohorts) await stdout.WriteLineAsync(c.Zip);
        await stdout.WriteLineAsync(result.Manifest);
        return result.Problems.Count == 0 ? Cli.Ok : Cli.Rejected;
    }
}
