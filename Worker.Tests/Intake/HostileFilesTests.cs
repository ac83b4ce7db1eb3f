using System.Diagnostics;
using CollectionWorker.Intake;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CollectionWorker.Tests.Intake;

/// <summary>Things in the drop folder that are not photos at all, or are built to hurt (issue #20).</summary>
public sealed class HostileFilesTests
{
    [Fact]
    public async Task A_named_pipe_in_the_drop_folder_is_moved_aside_unopened_and_holds_up_nothing()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00.200", RescanEvery = "00:00:01", MaxParallel = 1 });
        var students = Enumerable.Range(1, 3).Select(i => TestStudent.Make(i)).ToList();
        await h.ImportRosterAsync(students);
        Directory.CreateDirectory(h.Inbox);
        var pipeName = $"{students[0].StudentNumber}.jpg";
        MakeFifo(Path.Combine(h.Inbox, pipeName));

        await h.StartAsync();
        h.Drop($"{students[1].StudentNumber}.jpg", FakeJpeg.Make(1));
        h.Drop($"{students[2].StudentNumber}.jpg", FakeJpeg.Make(2));

        // With one file at a time, a pipe opened for reading would hold up every later photo.
        await h.WaitForSubmissionsAsync(2);
        var reason = await h.WaitForReasonAsync(h.Refused, pipeName);
        Assert.Contains(IntakeProcessor.NotRegularCode, reason);
        Assert.Contains("named pipe", reason);
        Assert.Contains("命名管道", reason);
        // Moved by name: it is still the pipe, never opened or replaced by a copy.
        Assert.Equal(FileKindValue.Fifo, FileKind.Of(Path.Combine(h.Refused, pipeName)));
        Assert.False(File.Exists(Path.Combine(h.Inbox, pipeName)));

        // Stopping does not wait for anything stuck.
        var stop = Stopwatch.StartNew();
        await h.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(stop.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stop.Elapsed}");

        var lines = LogLines(h.DataDirectory).Where(l => l.Contains(pipeName)).ToList();
        Assert.Single(lines);
        Assert.Contains(IntakeProcessor.NotRegularCode, lines[0]);
    }

    [Fact]
    public async Task An_open_that_never_returns_is_given_up_after_the_open_timeout_so_the_other_files_go_on()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00.200", OpenTimeout = "00:00:00.500" });
        var students = Enumerable.Range(1, 2).Select(i => TestStudent.Make(i)).ToList();
        await h.ImportRosterAsync(students);
        using var host = await h.Cli.BuildAsync();
        var processor = host.Services.GetRequiredService<IntakeProcessor>();
        var directory = await StudentDirectory.LoadAsync(h.Database, CancellationToken.None);

        // A pipe whose kind is not known beforehand (as on a system without statx): opening it blocks until a writer comes.
        var pipe = Path.Combine(h.Cli.Root, $"{students[0].StudentNumber}.jpg");
        MakeFifo(pipe);
        var file = new InboxFile(pipe, Path.GetFileName(pipe), 0, File.GetLastWriteTimeUtc(pipe), DateTimeOffset.UtcNow, FileKindValue.Regular);
        var outcome = await processor.ProcessAsync(file, processor.Match(file, directory), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(IntakeOutcome.Stalled, outcome);
        Assert.True(File.Exists(pipe), "nothing is moved or removed when the open stalls");

        // The stuck open ends once a writer appears; its stream is closed by the processor, not leaked.
        await using (var writer = new FileStream(pipe, FileMode.Open, FileAccess.Write)) { }
    }

    public static void MakeFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"mkfifo failed: {p.StandardError.ReadToEnd()}");
    }

    /// <summary>Every line of the service's log files in data/logs/.</summary>
    public static List<string> LogLines(string dataDirectory)
    {
        var logs = Path.Combine(dataDirectory, "logs");
        return Directory.Exists(logs)
            ? Directory.GetFiles(logs, "*.log").OrderBy(f => f, StringComparer.Ordinal).SelectMany(File.ReadAllLines).ToList()
            : [];
    }
}
