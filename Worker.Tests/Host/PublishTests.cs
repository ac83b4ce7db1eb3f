using System.Diagnostics;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Host;

public class PublishTests
{
    private static async Task<(int Exit, string Output)> RunAsync(string file, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task The_published_folder_runs_on_its_own_check_config_demo_and_the_service()
    {
        using var dir = new TempDirectory();
        var publish = Path.Combine(dir.Path, "collection-worker");
        var project = Path.Combine(TestHost.RepoRoot(), "Worker", "Worker.csproj");
        var (published, log) = await RunAsync("dotnet", dir.Path, TimeSpan.FromMinutes(8), "publish", project, "-c", "Release", "-o", publish, "--nologo");
        Assert.True(published == 0, log);

        // What the issue found missing travels with it; runtimes of platforms nobody serves from do not.
        Assert.True(File.Exists(Path.Combine(publish, "templates", "teacher-digest.liquid")));
        Assert.True(File.Exists(Path.Combine(publish, "config", "appsettings.json")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(publish, "models"), "*.onnx").Length);
        // (No "unix" folder any more: that was System.Drawing.Common's, which left with ClosedXML.)
        Assert.Equal(["linux-x64", "win", "win-x64"], Directory.GetDirectories(Path.Combine(publish, "runtimes")).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetFiles(publish, "System.Drawing*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(publish, "ClosedXML*", SearchOption.AllDirectories));
        var megabytes = Directory.EnumerateFiles(publish, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / 1048576.0;
        Assert.True(megabytes < 100, $"the publish folder is {megabytes:0} MB");

        // From an unrelated working directory, as a service starts: the published executable itself.
        var exe = Path.Combine(publish, OperatingSystem.IsWindows() ? "CollectionWorker.exe" : "CollectionWorker");
        var work = Path.Combine(dir.Path, "srv");
        Directory.CreateDirectory(work);
        var check = await RunAsync(exe, work, TimeSpan.FromMinutes(1), "check-config");
        Assert.True(check.Exit == 0, check.Output);
        Assert.Contains($"Configuration OK ({Path.Combine(publish, "config", "appsettings.json")}", check.Output);

        var data = Path.Combine(work, "demo-data");
        var demo = await RunAsync(exe, work, TimeSpan.FromMinutes(2), "demo", "--data", data);
        Assert.True(demo.Exit == 0, demo.Output);
        Assert.Contains("Demo campaign created", demo.Output);
        Assert.Contains($"\"{exe}\" run --config", demo.Output);

        // The face model and the native ONNX runtime load from the trimmed folder.
        // (the demo's too-small head is measured by the face model: its finding proves the model ran).
        var photos = Directory.GetFiles(Path.Combine(data, "inbox"), "*.jpg");
        var inspect = await RunAsync(exe, work, TimeSpan.FromMinutes(1), ["check-photo", .. photos, "--json"]);
        Assert.True(inspect.Exit == 0, inspect.Output);
        Assert.Contains("\"code\": \"FACE_WIDTH\"", inspect.Output);

        // The service runs the demo with the published templates: the window-open e-mails are written.
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = work };
        foreach (var a in new[] { "run", "--config", Path.Combine(data, "demo", "config") }) info.ArgumentList.Add(a);
        using var service = Process.Start(info)!;
        service.OutputDataReceived += (_, _) => { };
        service.ErrorDataReceived += (_, _) => { };
        service.BeginOutputReadLine();
        service.BeginErrorReadLine();
        try
        {
            var mail = Path.Combine(data, "mail");
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!(Directory.Exists(mail) && Directory.EnumerateFiles(mail, "*.eml").Any()))
            {
                Assert.False(service.HasExited, $"the service exited with {(service.HasExited ? service.ExitCode : 0)}");
                Assert.True(DateTime.UtcNow < deadline, "no e-mail written within 90 s");
                await Task.Delay(200);
            }
        }
        finally
        {
            if (!service.HasExited) service.Kill(entireProcessTree: true);
        }
    }
}
