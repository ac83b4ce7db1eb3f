// Intake benchmark: 10,000 small JPEG-sized files dropped at once into the inbox of a running worker
// (the real CollectionWorker.dll as a child process, `run` verb, inspection not part of it), timed
// until every file is a committed submission. Five runs; prints each, the median files/s and the
// worker's peak resident memory.
//
//   dotnet run -c Release --project Benchmarks/IntakeBenchmark [-- --files 10000 --runs 5] [--same-photo]
//
// --same-photo: every student's file is the same photo (one picture shared by the whole roster),
// the worst case for duplicate detection (issue #20: it must stay linear).

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CollectionWorker.Host;
using Microsoft.Data.Sqlite;

var files = ArgValue("--files", 10_000);
var runs = ArgValue("--runs", 5);
var samePhoto = args.Contains("--same-photo");
var root = Path.Combine(Path.GetTempPath(), "cw-intake-bench", Guid.NewGuid().ToString("N")[..8]);
var dll = Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll");
if (!File.Exists(dll)) throw new FileNotFoundException("The worker is built beside the benchmark", dll);

try
{
    var config = Path.Combine(root, "config");
    Directory.CreateDirectory(config);
    var now = DateTimeOffset.UtcNow;
    Repository.CopyTemplatesBeside(config);
    await File.WriteAllTextAsync(Path.Combine(config, "appsettings.json"), JsonSerializer.Serialize(new
    {
        Logging = new { LogLevel = new { Default = "Information", Microsoft = "Warning" } },
        Campaign = new { UploadStart = now.AddDays(-1).ToString("O"), UploadEnd = now.AddDays(1).ToString("O") },
        // StableFor 0: the measurement is throughput; with the default 2 s every file simply waits 2 s longer.
        Intake = new { StableFor = "00:00:00", RescanEvery = "00:00:30" },
        Inspection = new { Enabled = false }, // the issue measures intake with inspection switched off
    }));

    // One roster import into a template store, copied for every run.
    var template = Path.Combine(root, "template");
    var roster = Path.Combine(root, "roster.xlsx");
    BenchmarkRoster.Write(roster, files, first: 1, placement: i => ($"20级计算机{i % 40 + 1}班", "王老师", "wang@example.edu.cn"));
    var import = Stopwatch.StartNew();
    var exit = await Cli.RunAsync(["import-roster", roster, "--config", config, "--data", template], Console.Out, Console.Error);
    if (exit != 0) throw new InvalidOperationException("roster import failed");
    // The store is in WAL mode: close the pooled connections so the import is checkpointed into
    // collection.db before that one file is copied for each run.
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Console.WriteLine($"roster of {files} students imported in {import.Elapsed.TotalSeconds:0.0} s");

    var results = new List<(double FilesPerSecond, double Seconds, long PeakRssKb)>();
    for (var run = 1; run <= runs; run++)
    {
        var data = Path.Combine(root, $"run{run}");
        Directory.CreateDirectory(data);
        File.Copy(Path.Combine(template, "collection.db"), Path.Combine(data, "collection.db"));
        var staging = Path.Combine(root, $"staging{run}");
        Directory.CreateDirectory(staging);
        var random = new Random(run);
        byte[]? shared = null;
        for (var i = 1; i <= files; i++)
        {
            var bytes = shared ?? new byte[20_000 + random.Next(20_000)];
            if (shared is null) random.NextBytes(bytes);
            bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[^2] = 0xFF; bytes[^1] = 0xD9;
            if (samePhoto) shared = bytes;
            await File.WriteAllBytesAsync(Path.Combine(staging, $"2020{i:000000}.jpg"), bytes);
        }

        var ready = new TaskCompletionSource();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "run", "--config", config, "--data", data }) info.ArgumentList.Add(a);
        using var worker = Process.Start(info)!;
        worker.OutputDataReceived += (_, e) => { if (e.Data?.Contains("Intake watching") == true) ready.TrySetResult(); };
        worker.ErrorDataReceived += (_, _) => { };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));

        // "Dropped at once": every file renamed into the inbox of the running worker in one go.
        var inbox = Path.Combine(data, "inbox");
        var clock = Stopwatch.StartNew();
        foreach (var f in Directory.EnumerateFiles(staging)) File.Move(f, Path.Combine(inbox, Path.GetFileName(f)));
        var dropped = clock.Elapsed;

        var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "collection.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        long count = 0;
        while (count < files)
        {
            await Task.Delay(20);
            await using var c = new SqliteConnection(connection);
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM submissions";
            count = (long)(await cmd.ExecuteScalarAsync())!;
            if (clock.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"only {count} of {files} recorded after 5 minutes");
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var peak = PeakRssKb(worker.Id);
        worker.Kill(entireProcessTree: true);
        await worker.WaitForExitAsync();
        var left = Directory.GetFiles(inbox).Length;
        var rate = files / elapsed;
        results.Add((rate, elapsed, peak));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"run {run}: {files} files in {elapsed:0.00} s (drop took {dropped.TotalSeconds:0.00} s) = {rate:0} files/s; worker peak RSS {peak / 1024.0:0} MB; {left} left in inbox"));
        Directory.Delete(data, recursive: true);
        Directory.Delete(staging, recursive: true);
    }

    var median = results.Select(r => r.FilesPerSecond).Order().ElementAt(results.Count / 2);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(samePhoto ? "one photo for every student: " : "")}median of {runs}: {median:0} files/s (target >= 500); peak worker memory {results.Max(r => r.PeakRssKb) / 1024.0:0} MB; {Environment.ProcessorCount} cores"));
}
finally
{
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}

static long PeakRssKb(int pid)
{
    // Linux: the kernel's high-water mark of resident memory. Elsewhere, the runtime's own figure.
    var status = $"/proc/{pid}/status";
    if (File.Exists(status))
        foreach (var line in File.ReadLines(status))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    return Process.GetProcessById(pid).PeakWorkingSet64 / 1024;
}

int ArgValue(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
