using CollectionWorker.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>import-payments FILE: the platform's export (.xlsx/.csv), all or nothing, idempotent by transaction id.</summary>
public sealed class ImportPaymentsVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var file = commandLine.Arguments[0];
        if (!File.Exists(file)) throw new InputRejectedException($"{file}: no such file.");
        var result = await host.Services.GetRequiredService<PaymentImporter>().ImportAsync(file, $"cli:{Environment.UserName}", ct);
        if (result.Succeeded)
        {
            await stdout.WriteLineAsync(result.Summary);
            if (result.KeptAside.Count > 0)
            {
                await stdout.WriteLineAsync("无法计入的缴费（已保存，请核对） Payments kept aside (stored; check them):");
                foreach (var line in result.KeptAside) await stdout.WriteLineAsync($"  {line}");
            }
            if (result.Partial.Count > 0)
            {
                await stdout.WriteLineAsync("未缴足的学生 Students who paid less than the fee:");
                foreach (var line in result.Partial) await stdout.WriteLineAsync($"  {line}");
            }
            return Cli.Ok;
        }
        foreach (var p in result.Problems) await stderr.WriteLineAsync($"{file}: {p}");
        await stderr.WriteLineAsync(result.Summary);
        if (result.ErrorWorkbook is not null) await stdout.WriteLineAsync(result.ErrorWorkbook);
        return Cli.Rejected;
    }
}
