using System.Text.Json;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Tests.Store;

public class StoreSafetyTests
{
    private static TestHost ServiceHost()
    {
        var now = DateTimeOffset.UtcNow;
        return new TestHost(JsonSerializer.Serialize(new
        {
            Logging = new { LogLevel = new Dictionary<string, string> { ["Default"] = "Information", ["Microsoft"] = "Warning", ["Microsoft.Hosting.Lifetime"] = "Information", ["Quartz"] = "Warning" } },
            Storage = new { CheckEvery = "00:00:00.2" },
            Campaign = new { UploadStart = now.AddDays(-1).ToString("O"), UploadEnd = now.AddDays(1).ToString("O") },
            Intake = new { StableFor = "00:00:00.2", RescanEvery = "00:00:01" },
            Inspection = new { Enabled = false },
        }));
    }

    [Fact]
    public async Task Deleting_the_store_while_running_stops_the_service_and_it_will_not_start_empty_beside_the_archive()
    {
        if (OperatingSystem.IsWindows()) return; // Windows refuses to delete an open database file.
        using var host = ServiceHost();
        var student = TestStudent.Make(1);
        var roster = RosterBuilder.Write(host.File("roster.xlsx"), [student]);
        Assert.Equal(0, (await host.RunAsync("import-roster", roster)).Exit);

        using (var worker = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory))
        {
            await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
            File.WriteAllBytes(Path.Combine(host.DataDirectory, "inbox", $"{student.StudentNumber}.jpg"), PortraitGenerator.Jpeg(new PortraitSpec { Seed = 1 }));
            var archive = Path.Combine(host.DataDirectory, "archive");
            await Eventually(() => Directory.EnumerateFiles(archive, "*.jpg", SearchOption.AllDirectories).Any(), "the photo is archived");

            foreach (var f in Directory.GetFiles(host.DataDirectory, "collection.db*")) File.Delete(f);
            Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Contains($"The store {host.DatabaseFile} was deleted while the service ran", worker.Output);
            Assert.Contains("restore from a backup", worker.Output);
            Assert.False(File.Exists(host.DatabaseFile), "nothing re-creates the deleted store");
        }

        using var again = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        Assert.Equal(1, await again.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("has no store (collection.db) but its archive/ holds 1 photo(s)", again.Output);
        Assert.Contains("Restore collection.db from a backup", again.Output);
        Assert.False(File.Exists(host.DatabaseFile));
    }

    [Fact]
    public async Task A_store_replaced_under_the_running_service_by_a_copy_stops_it()
    {
        if (OperatingSystem.IsWindows()) return; // Windows refuses to replace an open database file.
        using var host = ServiceHost();
        var roster = RosterBuilder.Write(host.File("roster.xlsx"), [TestStudent.Make(1)]);
        Assert.Equal(0, (await host.RunAsync("import-roster", roster)).Exit);

        using var worker = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
        // A restore done the wrong way: an older copy moved over the live file while the service runs.
        var copy = host.File("restored.db");
        File.Copy(host.DatabaseFile, copy);
        File.Move(copy, host.DatabaseFile, overwrite: true);

        Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"The store {host.DatabaseFile} was replaced by another file while the service ran", worker.Output);
    }

    [Fact]
    public async Task An_empty_store_put_in_place_of_the_real_one_is_refused_while_archive_holds_photos()
    {
        using var host = new TestHost();
        using (await host.BuildAsync()) { }
        var photo = Path.Combine(host.DataDirectory, "archive", "ab", "ab" + new string('0', 62) + ".jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(photo)!);
        File.WriteAllBytes(photo, PortraitGenerator.Jpeg(new PortraitSpec { Seed = 2 }));

        var result = await host.RunAsync("status");
        Assert.Equal(1, result.Exit);
        Assert.Contains("records no upload at all, but archive/", result.Err);
    }

    [Fact]
    public async Task A_really_corrupted_store_is_explained_with_how_to_restore_and_exit_1()
    {
        using var host = new TestHost();
        var roster = RosterBuilder.Write(host.File("roster.xlsx"), Enumerable.Range(1, 300).Select(i => TestStudent.Make(i)));
        Assert.Equal(0, (await host.RunAsync("import-roster", roster)).Exit);
        SqliteConnection.ClearAllPools();

        // Overwrite a run of pages in the middle of the file (the students table and its indexes), as a failing disk would.
        var bytes = File.ReadAllBytes(host.DatabaseFile);
        Assert.True(bytes.Length > 16 * 4096, $"the store is {bytes.Length} bytes");
        var random = new Random(7);
        var garbage = new byte[8 * 4096];
        random.NextBytes(garbage);
        garbage.CopyTo(bytes, 4 * 4096);
        File.WriteAllBytes(host.DatabaseFile, bytes);

        foreach (var verb in new[] { "status", "import-roster" })
        {
            var result = verb == "status" ? await host.RunAsync("status") : await host.RunAsync("import-roster", roster);
            Assert.Equal(1, result.Exit);
            Assert.Contains($"The store {host.DatabaseFile} is damaged", result.Err);
            Assert.Contains("copy the newest backup's collection.db", result.Err);
            Assert.Contains("已损坏", result.Err);
        }
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_at_all_is_refused_by_the_service_with_exit_1()
    {
        using var host = new TestHost();
        Directory.CreateDirectory(host.DataDirectory);
        var junk = new byte[64 * 1024];
        new Random(3).NextBytes(junk);
        File.WriteAllBytes(host.DatabaseFile, junk);

        using var worker = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("is damaged (SQLite:", worker.Output);
        Assert.DoesNotContain("Unhandled exception", worker.Output);
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within 60 s: {what}");
            await Task.Delay(100);
        }
    }
}
