using System.Diagnostics;
using CollectionWorker.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace CollectionWorker.Tests.Intake;

/// <summary>
/// The real worker, as a child process, SIGKILLed at random moments while it takes in 500 files and
/// restarted each time: in the end every file is accounted for exactly once and no row is doubled.
/// </summary>
[Collection(CrashSafetyCollection.Name)]
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Kills = 24;

    [Fact]
    public async Task Killing_the_worker_at_random_moments_loses_nothing_and_records_nothing_twice()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00", RescanEvery = "00:00:01", MaxParallel = 1 }, claimTimeout: "00:00:05");
        var eligible = Enumerable.Range(1, 440).Select(i => TestStudent.Make(i)).ToList();
        var outsiders = Enumerable.Range(441, 10).Select(i => TestStudent.Make(i, grade: "2019级")).ToList();
        await h.ImportRosterAsync(eligible.Concat(outsiders));

        var inputs = new List<(string Name, byte[] Bytes)>();
        Func<TestStudent, string>[] patterns =
            [s => $"{s.StudentNumber}.jpg", s => $"{s.NationalId}.jpg", s => $"{s.StudentNumber}_{s.Name}.jpg", s => $"{s.Name}_{s.StudentNumber}.jpeg"];
        var random = new Random(20220505);
        byte[] Photo(int i) => FakeJpeg.Make(1_000_000 + i, 20_000 + random.Next(20_000));
        for (var i = 0; i < 420; i++) inputs.Add((patterns[i % 4](eligible[i]), Photo(i)));
        // A second, different photo for 30 students, in a sub-folder (the first must end superseded).
        for (var i = 0; i < 30; i++) inputs.Add(($"resubmit/{eligible[i].StudentNumber}.jpg", Photo(420 + i)));
        for (var i = 0; i < 20; i++) inputs.Add(($"{outsiders[i % 10].StudentNumber}_{i}_{outsiders[i % 10].Name}.jpg", Photo(450 + i)));
        for (var i = 0; i < 30; i++) inputs.Add(($"2099{i:000000}.jpg", Photo(470 + i)));
        Assert.Equal(500, inputs.Count);
        foreach (var (name, bytes) in inputs) h.Drop(name, bytes);
        // Outsider files with an extra number in the name match no pattern: they go to unmatched/, not refused/.

        var dll = Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll");
        Assert.True(File.Exists(dll), $"the worker is built beside the tests: {dll}");
        var interrupted = 0;
        for (var k = 0; k < Kills; k++)
        {
            var before = CountInbox(h);
            using var worker = StartWorker(dll, h);
            var delay = random.Next(0, 25);
            var blind = k % 5 == 4 ? random.Next(50, 700) : -1;
            // Timed on a thread of its own: a busy thread pool must not turn "a few milliseconds" into hundreds.
            await Task.Factory.StartNew(() =>
            {
                if (blind >= 0)
                {
                    // Now and then a kill at a blind moment: during start-up, migrations or the clean-up of leftovers.
                    Thread.Sleep(blind);
                    return;
                }
                // Otherwise a random moment once files are moving, so the kill lands inside the work
                // (archive written, row committed, inbox copy removed – any step of any file). Intake takes a
                // file in well under a millisecond here (the page cache absorbs the fsync), so the window is short.
                var started = Stopwatch.StartNew();
                while (CountInbox(h) == before && before > 0 && started.Elapsed < TimeSpan.FromSeconds(15)) Thread.Sleep(1);
                Thread.Sleep(delay);
            }, TaskCreationOptions.LongRunning);
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var after = CountInbox(h);
            if (after > 0 && after < before) interrupted++;
            output.WriteLine($"kill {k + 1}: inbox {before} -> {after}");
        }

        using (var last = StartWorker(dll, h))
        {
            await IntakeHarness.WaitUntilAsync(() => CountInbox(h) == 0, TimeSpan.FromSeconds(60), "the inbox to empty after the last restart");
            last.Kill(entireProcessTree: true);
            await last.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        output.WriteLine($"{interrupted} of {Kills} kills interrupted work in progress");
        Assert.True(interrupted >= 8, $"only {interrupted} kills landed while files were being taken; the test proves little");

        var rows = await h.SubmissionsAsync();
        var recorded = 0;
        foreach (var (name, bytes) in inputs)
        {
            var sha = IntakeHarness.Sha256(bytes);
            var asRow = rows.Count(r => r.original_name == name && r.sha256 == sha);
            var keptAside = new[] { h.Unmatched, h.Refused }.Count(folder =>
            {
                var kept = Path.Combine(folder, name);
                return File.Exists(kept) && File.Exists(kept + ".reason.txt") && IntakeHarness.Sha256(File.ReadAllBytes(kept)) == sha;
            });
            Assert.True(asRow + keptAside == 1, $"{name}: {asRow} submission row(s) and kept aside {keptAside} time(s)");
            if (asRow == 1)
            {
                recorded++;
                Assert.Equal(sha, IntakeHarness.Sha256(await File.ReadAllBytesAsync(h.ArchivePath(sha))));
            }
        }
        Assert.Equal(450, recorded);
        Assert.Equal(recorded, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => (r.student_id, r.sha256)).Distinct().Count());
        Assert.All(rows.GroupBy(r => r.student_id), g =>
        {
            Assert.Single(g, r => r.state != "superseded");
            Assert.Equal(Enumerable.Range(1, g.Count()).Select(a => (long)a), g.Select(r => r.attempt).Order());
        });
        Assert.Empty(Directory.GetFiles(h.Archive, "*.partial", SearchOption.AllDirectories));
        var keptFiles = Directory.GetFiles(h.Unmatched, "*", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(h.Refused, "*", SearchOption.AllDirectories)).ToList();
        Assert.Equal(50, keptFiles.Count(f => !f.EndsWith(".reason.txt")));
        Assert.Equal(50, keptFiles.Count(f => f.EndsWith(".reason.txt")));
    }

    private static int CountInbox(IntakeHarness h) => Directory.GetFiles(h.Inbox, "*", SearchOption.AllDirectories).Length;

    private static Process StartWorker(string dll, IntakeHarness h)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "run", "--config", h.ConfigDirectory, "--data", h.DataDirectory }) info.ArgumentList.Add(a);
        var p = Process.Start(info)!;
        // Drain both pipes so the worker never blocks on a full pipe.
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}

/// <summary>Runs the crash test alone: its kill timing is in milliseconds and other tests' load would blur it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CrashSafetyCollection
{
    public const string Name = "Crash safety (runs alone)";
}
