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
            await ListAsync(stdout, "无法计入的缴费（已保存，请核对） Payments kept aside (stored; check them):", result.KeptAside);
            await ListAsync(stdout, "未缴足的学生 Students who paid less than the fee:", result.Partial);
            return Cli.Ok;
        }
        foreach (var p in result.Problems) await stderr.WriteLineAsync($"{file}: {p}");
        await stderr.WriteLineAsync(result.Summary);
        if (result.ErrorWorkbook is not null) await stdout.WriteLineAsync(result.ErrorWorkbook);
        return Cli.Rejected;
    }

    /// <summary>A list under its title, the first <see cref="MaxListed"/> lines; the report's fee section has them all.</summary>
    private static async Task ListAsync(TextWriter stdout, string title, IReadOnlyList<string> lines)
    {
        if (lines.Count == 0) return;
        await stdout.WriteLineAsync(title);
        foreach (var line in lines.Take(MaxListed)) await stdout.WriteLineAsync($"  {line}");
        if (lines.Count > MaxListed)
            await stdout.WriteLineAsync($"  … 另有 {lines.Count - MaxListed} 条，完整名单见 report 命令生成的报告 / {lines.Count - MaxListed} more: the 'report' page lists them all");
    }

    private const int MaxListed = 50;
}
