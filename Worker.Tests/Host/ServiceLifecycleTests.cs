using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Tests.Host;

public class ServiceLifecycleTests
{
    [Fact]
    public async Task The_service_creates_its_data_directory_imports_dropped_rosters_and_stops_on_sigterm()
    {
        if (OperatingSystem.IsWindows()) return; // SIGTERM is a POSIX signal; the Windows service stop path is the host's own.
        using var host = new TestHost("""{ "Roster": { "InboxPollEvery": "00:00:00.2", "StableFor": "00:00:00.3" } }""");
        using var worker = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(30));

        Assert.True(host.PostgresConnectionString is not null || File.Exists(host.DatabaseFile)); // on PostgreSQL: the test's database
        foreach (var folder in new[] { "inbox", "archive", "unmatched", "refused", "roster-inbox/processed", "roster-inbox/failed", "review/inbox", "mail" })
            Assert.True(Directory.Exists(Path.Combine(host.DataDirectory, folder)), folder);

        // A good roster lands in processed/, a bad one in failed/ with its error workbook.
        var inbox = Path.Combine(host.DataDirectory, "roster-inbox");
        RosterBuilder.Write(host.File("good.xlsx"), Enumerable.Range(1, 3).Select(i => TestStudent.Make(i)));
        RosterBuilder.Write(host.File("bad.xlsx"), [TestStudent.Make(9) with { TeacherEmail = "nobody" }]);
        File.Move(host.File("good.xlsx"), Path.Combine(inbox, "good.xlsx"));
        File.Move(host.File("bad.xlsx"), Path.Combine(inbox, "bad.xlsx"));
        await worker.WaitForOutputAsync("bad.xlsx moved to", TimeSpan.FromSeconds(30));
        await worker.WaitForOutputAsync("good.xlsx moved to", TimeSpan.FromSeconds(30));

        Assert.Single(Directory.GetFiles(Path.Combine(inbox, "processed"), "*_good.xlsx"));
        Assert.Single(Directory.GetFiles(Path.Combine(inbox, "failed"), "*_bad.xlsx"));
        Assert.Single(Directory.GetFiles(Path.Combine(inbox, "failed"), "*_bad.errors.xlsx"));
        Assert.Empty(Directory.GetFiles(inbox));
        await using (var c = await host.OpenStoreAsync())
            Assert.Equal(3, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM students"));

        worker.Terminate();
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("CollectionWorker stopped", worker.Output);
    }

    [Fact]
    public async Task The_service_refuses_to_start_on_bad_configuration_with_exit_1()
    {
        using var host = new TestHost("""{ "Campaign": { "UploadEnd": "2000-01-01T00:00:00+08:00" } }""");
        using var worker = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Campaign:UploadEnd", worker.Output);
    }
}
