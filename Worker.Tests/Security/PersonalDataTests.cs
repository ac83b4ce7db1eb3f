using System.Text.Json;
using CollectionWorker.Tests.Intake;
using CollectionWorker.Tests.Review;
using CollectionWorker.Tests.Support;
using Xunit;

namespace CollectionWorker.Tests.Security;

/// <summary>
/// Issue #20 item 6 and item 10's log part, on the real worker as a child process: no full ID number
/// and no raw control character in any log (console or file), and the data directory readable by the
/// service's user only.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PersonalDataTests
{
    [Fact]
    public async Task Photos_named_by_id_numbers_never_put_a_full_id_into_the_logs_and_every_file_is_the_owners_only()
    {
        using var host = new TestHost(Settings());
        var students = Enumerable.Range(1, 3).Select(i => TestStudent.Make(i)).ToList();
        var stranger = TestStudent.Make(900); // a valid ID number of nobody in the roster
        var roster = RosterBuilder.Write(host.File("roster.xlsx"), students);
        using (var import = WorkerProcess.StartWithUmask("022", "import-roster", roster, "--config", host.ConfigDirectory, "--data", host.DataDirectory))
            Assert.True(await import.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, import.Output);

        using var worker = WorkerProcess.StartWithUmask("022", "run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        await worker.WaitForOutputAsync("Intake watching", TimeSpan.FromSeconds(60));
        var inbox = Path.Combine(host.DataDirectory, "inbox");
        await File.WriteAllBytesAsync(Path.Combine(inbox, $"{students[0].NationalId}.jpg"), ReviewWorld.Portrait(1));
        await File.WriteAllBytesAsync(Path.Combine(inbox, $"{stranger.NationalId}.jpg"), ReviewWorld.Portrait(2));
        await File.WriteAllBytesAsync(Path.Combine(inbox, $"{students[1].Name}_{students[1].NationalId}.jpg"), ReviewWorld.Portrait(3));
        const string ansi = "\u001b[2J\u001b[31mpwned\u001b[0m.jpg";
        await File.WriteAllBytesAsync(Path.Combine(inbox, ansi), ReviewWorld.Portrait(4));

        await worker.WaitForOutputAsync("inspected", TimeSpan.FromSeconds(60));
        await worker.WaitForOutputAsync("pwned", TimeSpan.FromSeconds(30));
        await worker.WaitForOutputAsync(MaskedId(students[1].NationalId), TimeSpan.FromSeconds(30));
        await IntakeHarness.WaitUntilAsync(() => File.Exists(Path.Combine(host.DataDirectory, "unmatched", $"{stranger.NationalId}.jpg.reason.txt")));
        worker.Terminate();
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var console = worker.Output;
        var file = string.Join("\n", HostileFilesTests.LogLines(host.DataDirectory));
        Assert.Contains("Intake watching", file);
        foreach (var (log, what) in new[] { (console, "console"), (file, "log file") })
        {
            foreach (var id in new[] { students[0].NationalId, students[1].NationalId, stranger.NationalId })
            {
                Assert.False(log.Contains(id), $"{what} holds the full ID number {id}:\n{log}");
                Assert.Contains(MaskedId(id), log);
            }
            Assert.DoesNotContain('\u001b', log);
            Assert.Contains("\\u001B[31mpwned", log);
        }
        // Where the full number is needed, it is kept: the reason file beside the kept photo (owner-only, like everything here).
        Assert.Contains(stranger.NationalId, await File.ReadAllTextAsync(Path.Combine(host.DataDirectory, "unmatched", $"{stranger.NationalId}.jpg.reason.txt")));

        // The reason file keeps the name as it arrived, escaped: printing it runs no escape sequence.
        var ansiReason = Directory.GetFiles(Path.Combine(host.DataDirectory, "refused"), "*pwned*.reason.txt").Single();
        Assert.DoesNotContain('\u001b', await File.ReadAllTextAsync(ansiReason));
        Assert.Contains("\\u001B[31mpwned", await File.ReadAllTextAsync(ansiReason));

        AssertModes(host.DataDirectory, folder: "700", file: "600");
    }

    [Fact]
    public async Task A_shared_group_can_be_given_read_access()
    {
        using var host = new TestHost(Settings(fileMode: "GroupRead"));
        var roster = RosterBuilder.Write(host.File("roster.xlsx"), [TestStudent.Make(1)]);
        using var import = WorkerProcess.StartWithUmask("022", "import-roster", roster, "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        Assert.True(await import.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, import.Output);
        AssertModes(host.DataDirectory, folder: "750", file: "640");
    }

    /// <summary>Every folder and file under the data directory (the data directory included) has exactly these modes.</summary>
    private static void AssertModes(string dataDirectory, string folder, string file)
    {
        static string Octal(UnixFileMode m) => Convert.ToString((int)m, 8);
        Assert.Equal(folder, Octal(File.GetUnixFileMode(dataDirectory)));
        var entries = Directory.EnumerateFileSystemEntries(dataDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(entries, e => e.EndsWith("collection.db"));
        foreach (var e in entries)
            Assert.True(Octal(File.GetUnixFileMode(e)) == (Directory.Exists(e) ? folder : file), $"{e}: {Octal(File.GetUnixFileMode(e))}");
    }

    private static string MaskedId(string id) => $"{id[..6]}********{id[14..]}";

    private static string Settings(string fileMode = "Private")
    {
        var now = DateTimeOffset.UtcNow;
        return JsonSerializer.Serialize(new
        {
            Storage = new { FileMode = fileMode },
            Campaign = new { UploadStart = now.AddDays(-1).ToString("O"), UploadEnd = now.AddDays(1).ToString("O") },
            Intake = new { StableFor = "00:00:00.200", RescanEvery = "00:00:01" },
        });
    }
}

public sealed class AdminReportMaskingTests
{
    [Fact]
    public async Task The_admin_report_lists_a_file_named_by_an_id_number_with_the_number_masked()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00.100", RescanEvery = "00:00:01" });
        await h.ImportRosterAsync([TestStudent.Make(1)]);
        var stranger = TestStudent.Make(900).NationalId;
        await h.StartAsync();
        h.Drop($"{stranger}.jpg", FakeJpeg.Make(1));
        await h.WaitForReasonAsync(h.Unmatched, $"{stranger}.jpg");
        await h.StopAsync();

        using var host = await h.Cli.BuildAsync();
        var model = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<CollectionWorker.Notifications.MailModelBuilder>(host.Services)
            .BuildAsync("admin-report", "jwc@example.edu.cn", "教务处", "{}");
        var workbook = Assert.Single(model.Attachments, a => a.FileName.EndsWith(".xlsx"));
        var cells = WorkbookView.Open(workbook.Content).CellsWithValues.Select(c => c.Text).ToList();
        Assert.Contains(cells, c => c.Contains($"{stranger[..6]}********{stranger[14..]}.jpg"));
        Assert.DoesNotContain(cells, c => c.Contains(stranger));
        // The export column says what it counts, as in status.
        Assert.Contains("未导出 Not yet exported", cells);
        Assert.DoesNotContain(cells, c => c.Contains("Still missing"));
    }
}
