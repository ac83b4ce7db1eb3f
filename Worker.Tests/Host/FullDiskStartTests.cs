using System.Diagnostics;
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
        Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", data);
        try
        {
            using (var demo = WorkerProcess.Start("demo", "--data", data))
                Assert.Equal(0, await demo.WaitForExitAsync(TimeSpan.FromSeconds(120)));
            Fill(Path.Combine(data, "filler.bin"));

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
            Run("umount", "-l", data);
        }
    }

    private static void Run(string command, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{command} {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
    }

    /// <summary>Writes until the file system says it is full.</summary>
    private static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var block = new byte[64 * 1024];
        try
        {
            while (true) stream.Write(block);
        }
        catch (IOException)
        {
            // Full: exactly what the test needs.
        }
    }
}
