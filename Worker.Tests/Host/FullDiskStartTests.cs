using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Host;

public class FullDiskStartTests
{
    [RootFact]
    public async Task A_service_started_on_a_full_disk_says_so_and_exits_1_instead_of_crashing()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data");
        Directory.CreateDirectory(data);
        SmallDisk.Mount(data, "4m");
        try
        {
            using (var demo = WorkerProcess.Start("demo", "--data", data))
                Assert.Equal(0, await demo.WaitForExitAsync(TimeSpan.FromSeconds(120)));
            SmallDisk.Fill(Path.Combine(data, "filler.bin"));

            using var worker = WorkerProcess.Start("run", "--config", Path.Combine(data, "demo", "config"), "--data", data);
            var exit = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.True(exit == 1, $"exit {exit}:\n{worker.Output}");
            Assert.Contains("磁盘已满", worker.Output);
            Assert.Contains("is full", worker.Output);
            Assert.DoesNotContain("Unhandled exception", worker.Output);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            SmallDisk.Unmount(data);
        }
    }
}
