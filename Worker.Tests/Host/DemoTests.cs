using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Tests.Host;

public class DemoTests
{
    [Fact]
    public async Task The_demo_campaign_runs_end_to_end_inspections_a_review_sheet_and_mail_within_a_minute()
    {
        if (OperatingSystem.IsWindows()) return; // the worker is stopped with SIGTERM
        using var host = new TestHost();
        var demo = await host.RunAsync("demo");
        Assert.True(demo.Exit == 0, demo.Err);
        var config = Path.Combine(host.DataDirectory, "demo", "config");
        Assert.Contains(config, demo.Out);
        Assert.Equal(13, Directory.GetFiles(Path.Combine(host.DataDirectory, "inbox")).Length);
        Assert.Equal(1, (await host.RunAsync("demo")).Exit); // only into a fresh data directory

        var check = await CollectionWorker.Host.Cli.RunAsync(["check-config", "--config", config], new StringWriter(), new StringWriter());
        Assert.Equal(0, check);

        using var worker = WorkerProcess.Start("run", "--config", config);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        bool Done() =>
            Directory.GetFiles(Path.Combine(host.DataDirectory, "review", "outbox"), "*.xlsx").Length > 0
            && Directory.GetFiles(Path.Combine(host.DataDirectory, "mail"), "*.eml").Length > 0
            // Students with an address in the demo roster get their own e-mails.
            && Directory.GetFiles(Path.Combine(host.DataDirectory, "mail"), "*_student-receipt_*.eml").Length > 0
            && Directory.GetFiles(Path.Combine(host.DataDirectory, "mail"), "*_student-rejected_*.eml").Length > 0
            && Directory.GetFiles(Path.Combine(host.DataDirectory, "inbox")).Length == 0
            && Directory.GetFiles(Path.Combine(host.DataDirectory, "corrections-inbox", "processed"), "*.receipt.xlsx").Length == 1
            && Directory.GetFiles(Path.Combine(host.DataDirectory, "corrections"), "*.xlsx").Length == 1;
        while (!Done() && DateTime.UtcNow < deadline && !worker.HasExited) await Task.Delay(500);
        Assert.True(Done(), worker.Output);

        // Inspection may still be finishing the last photos; give it a moment, then read the outcome.
        await Task.Delay(3000);
        worker.Terminate();
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        await using var c = await host.OpenStoreAsync();
        var states = (await c.QueryAsync<string>("SELECT state FROM submissions")).ToList();
        Assert.Contains("rejected", states);
        Assert.Contains("awaiting_review", states);
        Assert.Single(Directory.GetFiles(Path.Combine(host.DataDirectory, "unmatched"), "*.reason.txt"));
        Assert.Single(Directory.GetFiles(Path.Combine(host.DataDirectory, "refused"), "*.reason.txt"));
    }
}
