using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Host;

public class SingleServiceTests
{
    [Fact]
    public async Task A_second_run_on_the_same_data_directory_exits_1_naming_the_first_and_a_killed_ones_lock_is_taken_over()
    {
        if (OperatingSystem.IsWindows()) return; // SIGKILL below; the lock itself is the same on Windows.
        using var host = new TestHost("""{ "Logging": { "LogLevel": { "Default": "Warning", "Microsoft.Hosting.Lifetime": "Information" } } }""");
        using var first = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        await first.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
        Assert.Equal(first.Id.ToString(), File.ReadAllText(Path.Combine(host.DataDirectory, ".lock")).Trim());

        using (var second = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory))
        {
            Assert.Equal(1, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"in use by another running service (PID {first.Id}", second.Output);
            Assert.Contains($"进程号 {first.Id}", second.Output);
            Assert.DoesNotContain("Application started", second.Output);
        }
        Assert.False(first.HasExited, "the first service keeps running");

        // A crash leaves the lock file with a dead process id inside: the next start takes it over.
        first.Kill();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        using var third = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        await third.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
        Assert.Contains($"Took over the lock file left by process {first.Id}", third.Output);
        Assert.Equal(third.Id.ToString(), File.ReadAllText(Path.Combine(host.DataDirectory, ".lock")).Trim());
        third.Terminate();
        var exit = await third.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, third.Output);
    }
}
