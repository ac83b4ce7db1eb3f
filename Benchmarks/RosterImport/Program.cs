// Imports a generated roster of N students (default 20,000) into a fresh store, R times (default 5),
// and prints each run and the median. Usage:
//   dotnet run -c Release --project Benchmarks/RosterImport [-- N R]             in process (warm after the first run)
//   dotnet run -c Release --project Benchmarks/RosterImport -- --whole [--exe PATH] [N R]
//     the whole command, cold: a new `CollectionWorker import-roster` process per run on a fresh data
//     directory, beside the same command on a one-student roster (the command's bare start-up), so the
//     ratio says what the roster itself costs. --exe times another build (e.g. an older one) the same way.
using System.Diagnostics;
using CollectionWorker.Campaign;
using CollectionWorker.Roster;
using CollectionWorker.Store;
using Microsoft.Extensions.Logging.Abstractions;

var writeIndex = Array.IndexOf(args, "--write");
if (writeIndex >= 0)
{
    // Only writes the generated roster (for profiling the command by hand): --write FILE [N]
    BenchmarkRoster.Write(args[writeIndex + 1], args.Length > writeIndex + 2 ? int.Parse(args[writeIndex + 2]) : 20_000);
    return;
}
var whole = args.Contains("--whole");
var exeIndex = Array.IndexOf(args, "--exe");
var exe = exeIndex >= 0 ? args[exeIndex + 1] : Path.Combine(AppContext.BaseDirectory, "CollectionWorker");
var numbers = args.Where((a, i) => !a.StartsWith("--") && (exeIndex < 0 || i != exeIndex + 1)).Select(int.Parse).ToArray();
var count = numbers.Length > 0 ? numbers[0] : 20_000;
var runs = numbers.Length > 1 ? numbers[1] : 5;
var dir = Path.Combine(Path.GetTempPath(), "cw-roster-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dir);
try
{
    var roster = Path.Combine(dir, "roster.xlsx");
    BenchmarkRoster.Write(roster, count);
    Console.WriteLine($"roster: {count} students, {new FileInfo(roster).Length / 1024} KiB; {Environment.ProcessorCount} cores");
    if (whole) await WholeCommandAsync(roster);
    else await InProcessAsync(roster);
}
finally
{
    Directory.Delete(dir, true);
}

async Task InProcessAsync(string roster)
{
    var times = new List<double>();
    for (var run = 1; run <= runs; run++)
    {
        var dbFile = Path.Combine(dir, $"run{run}.db");
        var db = new Database(dbFile);
        await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync();
        var importer = new RosterImporter(db, new RosterWorkbookReader(), new RosterValidator(new CohortMatcher(CampaignOptions.NoticeCohorts)),
            TimeProvider.System, NullLogger<RosterImporter>.Instance);
        // The phases on their own first (read, check), then the import as the command runs it.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var phase = Stopwatch.StartNew();
        var sheet = new RosterWorkbookReader().Read(roster);
        var read = phase.Elapsed.TotalSeconds;
        new RosterValidator(new CohortMatcher(CampaignOptions.NoticeCohorts)).Validate(sheet);
        var check = phase.Elapsed.TotalSeconds - read;
        var phasesCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = await importer.ImportAsync(roster, "benchmark");
        sw.Stop();
        var importCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Console.WriteLine($"  on their own: read {read:0.00} s, check {check:0.00} s (processor {phasesCpu:0.00} s); the import: processor {importCpu:0.00} s");
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("\n", result.Problems.Take(5)));
        times.Add(sw.Elapsed.TotalSeconds);
        Console.WriteLine($"run {run}: {sw.Elapsed.TotalSeconds:0.00} s ({result.Added} added)");
    }
    Console.WriteLine($"median {Median(times):0.00} s, min {times.Min():0.00} s, max {times.Max():0.00} s over {runs} runs");
}

async Task WholeCommandAsync(string roster)
{
    if (!File.Exists(exe)) throw new FileNotFoundException($"no CollectionWorker at {exe}: build Worker in Release first, or pass --exe");
    var config = Path.Combine(Repository.Root, "config");
    var one = Path.Combine(dir, "one.xlsx");
    BenchmarkRoster.Write(one, 1);
    var full = new List<(double Wall, double Cpu)>();
    var bare = new List<(double Wall, double Cpu)>();
    for (var run = 1; run <= runs; run++)
    {
        // Alternating, so a busy moment on the machine hits both alike.
        bare.Add(await RunAsync(one, $"bare{run}"));
        full.Add(await RunAsync(roster, $"full{run}"));
        Console.WriteLine($"run {run}: {count} students {full[^1].Wall:0.00} s (processor {full[^1].Cpu:0.00} s); " +
                          $"one student (start-up) {bare[^1].Wall:0.00} s (processor {bare[^1].Cpu:0.00} s)");
    }
    double wall = Median(full.Select(f => f.Wall).ToList()), bareWall = Median(bare.Select(f => f.Wall).ToList());
    Console.WriteLine($"import-roster {count}, whole command, cold: median {wall:0.00} s (min {full.Min(f => f.Wall):0.00}, max {full.Max(f => f.Wall):0.00}), " +
                      $"processor {Median(full.Select(f => f.Cpu).ToList()):0.00} s; one-student command: median {bareWall:0.00} s, " +
                      $"processor {Median(bare.Select(f => f.Cpu).ToList()):0.00} s; ratio {wall / bareWall:0.0}x start-up; over {runs} runs; {exe}");

    // Wall time, and the processor time (user + system) the command used, by /usr/bin/time where there is one:
    // on a machine busy with other work the processor time says what the command itself costs.
    async Task<(double Wall, double Cpu)> RunAsync(string file, string name)
    {
        var cpuFile = Path.Combine(dir, name + ".cpu");
        var timed = File.Exists("/usr/bin/time");
        var start = new ProcessStartInfo(timed ? "/usr/bin/time" : exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        var arguments = new List<string>();
        if (timed) arguments.AddRange(["-f", "%U %S", "-o", cpuFile, exe]);
        arguments.AddRange(["import-roster", file, "--config", config, "--data", Path.Combine(dir, name)]);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        sw.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"exit {process.ExitCode}: {await stdout}{await stderr}");
        var cpu = timed ? File.ReadAllText(cpuFile).Split(' ', StringSplitOptions.RemoveEmptyEntries).Sum(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)) : double.NaN;
        return (sw.Elapsed.TotalSeconds, cpu);
    }
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
