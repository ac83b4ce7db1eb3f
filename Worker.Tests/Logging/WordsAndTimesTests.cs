using System.Diagnostics;
using System.Text.RegularExpressions;
using CollectionWorker.Campaign;
using CollectionWorker.Tests.Intake;
using CollectionWorker.Tests.Review;
using CollectionWorker.Tests.Support;
using Xunit;

namespace CollectionWorker.Tests.Logging;

/// <summary>Issue #19 item 11: words that say what they mean, times in campaign time with the offset, one log line per photo, a log file.</summary>
public sealed class WordsAndTimesTests
{
    [Fact]
    public async Task Status_calls_the_export_column_not_yet_exported()
    {
        using var host = new TestHost();
        var import = await host.RunAsync("import-roster", RosterBuilder.Write(host.File("roster.xlsx"), [TestStudent.Make(1), TestStudent.Make(2)]));
        Assert.True(import.Exit == 0, import.Err);
        var (exit, output, error) = await host.RunAsync("status");
        Assert.True(exit == 0, error);
        Assert.Contains("未导出 Not yet exported", output);
        Assert.DoesNotContain("Still missing", output);
        var json = await host.RunAsync("status", "--json");
        Assert.Contains("\"not_yet_exported\": 2", json.Out);
    }

    [Fact]
    public void File_stamps_are_campaign_time_with_the_offset_whatever_the_servers_zone()
    {
        var clock = new CampaignClock(TimeProvider.System, new CampaignOptions());
        Assert.Equal("20220505-093015+0800", clock.FileStamp(new DateTimeOffset(2022, 5, 5, 1, 30, 15, TimeSpan.Zero)));
        var newYork = new CampaignClock(TimeProvider.System, new CampaignOptions { TimeZone = "America/New_York" });
        Assert.Equal("20220104-203015-0500", newYork.FileStamp(new DateTimeOffset(2022, 1, 5, 1, 30, 15, TimeSpan.Zero)));
    }

    [Fact]
    public async Task A_photo_gets_one_intake_line_and_one_inspection_line_with_a_short_hash_in_a_log_file_in_campaign_time()
    {
        await using var h = new IntakeHarness(logLevel: "Information", inspection: true);
        var student = TestStudent.Make(1);
        await h.ImportRosterAsync([student]);
        await h.StartAsync();
        var photo = ReviewWorld.Portrait(1);
        h.Drop($"{student.StudentNumber}.jpg", photo);
        await IntakeHarness.WaitUntilAsync(async () => await h.ScalarAsync<long>(
            "SELECT count(*) FROM submissions WHERE state NOT IN ('awaiting_inspection', 'held')") == 1, TimeSpan.FromSeconds(60), "the inspection");
        // A roster dropped into roster-inbox/ is stamped the same way.
        File.Copy(RosterBuilder.Write(h.Cli.File("again.xlsx"), [student]), Path.Combine(h.DataDirectory, "roster-inbox", "again.xlsx"));
        var processed = Path.Combine(h.DataDirectory, "roster-inbox", "processed");
        await IntakeHarness.WaitUntilAsync(() => Directory.Exists(processed) && Directory.GetFiles(processed).Length == 1, TimeSpan.FromSeconds(30));
        await h.StopAsync();

        Assert.Matches(@"^\d{8}-\d{6}\+0800_again\.xlsx$", Path.GetFileName(Directory.GetFiles(processed).Single()));

        var lines = HostileFilesTests.LogLines(h.DataDirectory);
        Assert.NotEmpty(lines);
        // Every line starts with campaign time and its offset, although the tests run in another zone.
        Assert.All(lines.Where(l => Regex.IsMatch(l, @"^\d{4}-")), l => Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \+08:00 ", l));
        var sha = IntakeHarness.Sha256(photo);
        var about = lines.Where(l => l.Contains($"{student.StudentNumber}.jpg")).ToList();
        Assert.Equal(2, about.Count);
        Assert.Contains("Intake.IntakeProcessor[3001]", about[0]);
        Assert.Contains("Inspection.InspectionStage", about[1]);
        Assert.All(about, l => Assert.Contains(sha[..12], l));
        Assert.DoesNotContain(lines, l => l.Contains(sha));
    }

    [Fact]
    public async Task Under_systemd_there_is_no_log_file_the_journal_keeps_the_log()
    {
        using var host = new TestHost();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll"), "run", "--config", host.ConfigDirectory, "--data", host.DataDirectory })
            info.ArgumentList.Add(a);
        info.Environment["INVOCATION_ID"] = "0123456789abcdef0123456789abcdef";
        using var worker = Process.Start(info)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        worker.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        await IntakeHarness.WaitUntilAsync(() => output.Any(l => l.Contains("Intake watching")), TimeSpan.FromSeconds(60), "the service to start");
        Process.Start("kill", ["-TERM", worker.Id.ToString()])!.WaitForExit();
        await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(Directory.Exists(Path.Combine(host.DataDirectory, "logs")), "no data/logs/ under systemd");

        // Started by hand, the same service writes one.
        using var byHand = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        await byHand.WaitForOutputAsync("Intake watching", TimeSpan.FromSeconds(60));
        byHand.Terminate();
        await byHand.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(HostileFilesTests.LogLines(host.DataDirectory), l => l.Contains("Intake watching"));
    }
}
