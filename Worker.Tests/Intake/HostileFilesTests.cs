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

    [RootFact]
    public async Task A_socket_and_a_device_are_moved_aside_unopened_too()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00.100", RescanEvery = "00:00:01" });
        var students = Enumerable.Range(1, 3).Select(i => TestStudent.Make(i)).ToList();
        await h.ImportRosterAsync(students);
        Directory.CreateDirectory(h.Inbox);
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream,
            System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(h.Inbox, $"{students[0].StudentNumber}.jpg")));
        // A copy of /dev/zero: read, it would never end.
        using (var mknod = Process.Start("mknod", [Path.Combine(h.Inbox, $"{students[1].StudentNumber}.jpg"), "c", "1", "5"])!) mknod.WaitForExit();

        await h.StartAsync();
        h.Drop($"{students[2].StudentNumber}.jpg", FakeJpeg.Make(3));
        await h.WaitForSubmissionsAsync(1);
        Assert.Contains("a socket", await h.WaitForReasonAsync(h.Refused, $"{students[0].StudentNumber}.jpg"));
        Assert.Contains("a character device", await h.WaitForReasonAsync(h.Refused, $"{students[1].StudentNumber}.jpg"));
        Assert.Equal(FileKindValue.CharacterDevice, FileKind.Of(Path.Combine(h.Refused, $"{students[1].StudentNumber}.jpg")));
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

        // The stuck open ends once a writer appears; its stream is closed by the processor, not leaked. The writer is a
        // shell, not a .NET FileStream: .NET takes an advisory lock right after its open, and the processor's stream, whose
        // open this one releases, takes its own at the same moment, so a FileStream here lost that race now and then.
        using var writer = Process.Start(new ProcessStartInfo("sh", ["-c", ": > \"$1\"", "sh", pipe]))!;
        Assert.True(writer.WaitForExit(10_000), "a writer opening the pipe should find the processor's stalled open still waiting as its reader");
    }

    internal static void MakeFifo(string path)
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

/// <summary>Names too long for the file system once ".reason.txt" is added, and a disk that fills up.</summary>
public sealed class LongNamesAndFullDiskTests
{
    [Fact]
    public async Task A_250_character_name_is_kept_under_a_shortened_name_with_the_original_in_its_reason_file()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00.100", RescanEvery = "00:00:01", RetryLockedEvery = "00:00:00.200" });
        await h.ImportRosterAsync([TestStudent.Make(1)]);
        await h.StartAsync();
        var ascii = new string('a', 246) + ".jpg";
        var chinese = new string('照', 80) + ".jpg"; // 244 bytes in UTF-8
        h.Drop(ascii, FakeJpeg.Make(1));
        h.Drop(chinese, FakeJpeg.Make(2));

        await IntakeHarness.WaitUntilAsync(() => Directory.Exists(h.Unmatched) && Directory.GetFiles(h.Unmatched, "*.reason.txt").Length == 2,
            what: "both files kept in unmatched/");
        await h.StopAsync();

        var kept = Directory.GetFiles(h.Unmatched).Where(f => !f.EndsWith(".reason.txt")).Select(Path.GetFileName).ToList();
        Assert.Equal(2, kept.Count);
        foreach (var (original, name) in new[] { (ascii, kept.Single(k => k!.StartsWith('a'))), (chinese, kept.Single(k => k!.StartsWith('照'))) })
        {
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(name!) <= 200, $"{name} is {System.Text.Encoding.UTF8.GetByteCount(name!)} bytes");
            Assert.EndsWith(".jpg", name);
            Assert.Matches(@"~[0-9a-f]{8}\.jpg$", name);
            var reason = await File.ReadAllTextAsync(Path.Combine(h.Unmatched, name + ".reason.txt"));
            Assert.Contains($"文件 File: {original}", reason);
            Assert.Contains($"保存为 Kept as: {name}", reason);
        }
        Assert.Empty(Directory.GetFiles(h.Inbox));
        // Taken once each: no error, no retry.
        var lines = HostileFilesTests.LogLines(h.DataDirectory);
        Assert.DoesNotContain(lines, l => l.Contains("failed") || l.Contains("PathTooLong"));
    }

    [RootFact]
    public async Task A_full_disk_is_reported_once_in_plain_words_and_intake_resumes_when_space_is_back()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00.100", RescanEvery = "00:00:01", RetryLockedEvery = "00:00:00.200" });
        Directory.CreateDirectory(h.DataDirectory);
        SmallDisk.Mount(h.DataDirectory, "4m");
        try
        {
            var students = Enumerable.Range(1, 3).Select(i => TestStudent.Make(i)).ToList();
            await h.ImportRosterAsync(students);
            // Waiting under a name intake leaves alone, so they can be put in place once the disk is full.
            for (var i = 1; i < 3; i++) h.Drop($"{students[i].StudentNumber}.jpg.tmp", FakeJpeg.Make(i, 60_000));
            using var worker = WorkerProcess.Start("run", "--config", h.ConfigDirectory, "--data", h.DataDirectory);
            h.Drop($"{students[0].StudentNumber}.jpg", FakeJpeg.Make(0, 60_000));
            await h.WaitForSubmissionsAsync(1, TimeSpan.FromSeconds(60));

            var filler = Path.Combine(h.DataDirectory, "filler.bin");
            SmallDisk.Fill(filler);
            foreach (var waiting in Directory.GetFiles(h.Inbox, "*.tmp")) File.Move(waiting, waiting[..^".tmp".Length]);
            await worker.WaitForOutputAsync("磁盘已满", TimeSpan.FromSeconds(60));
            // Let the retries with back-off (0.2, 0.4, 0.8, 1.6 s) happen on the full disk: none may be reported again.
            await Task.Delay(TimeSpan.FromSeconds(3.5));
            File.Delete(filler);
            await worker.WaitForOutputAsync("Disk space is available again", TimeSpan.FromSeconds(30));
            await h.WaitForSubmissionsAsync(3);
            worker.Terminate();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));

            var intake = worker.Output.Split('\n').Where(l => l.Contains("Intake")).ToList();
            var full = intake.Where(l => l.Contains("is full")).ToList();
            Assert.Single(full);
            Assert.Contains("The disk holding the data directory", full[0]);
            Assert.Contains("Free some disk space", full[0]);
            Assert.DoesNotContain(intake, l => l.Contains("failed") || l.Contains("permissions") || l.Contains("could not be opened"));
            Assert.DoesNotContain(worker.Output.Split('\n'), l => l.TrimStart().StartsWith("at CollectionWorker.Intake"));
            Assert.Empty(Directory.GetFiles(h.Inbox));
        }
        finally
        {
            await h.StopAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            SmallDisk.Unmount(h.DataDirectory);
        }
    }
}
