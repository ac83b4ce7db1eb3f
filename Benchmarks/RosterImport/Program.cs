// Imports a generated roster of N students (default 20,000) into a fresh store, R times (default 5),
// and prints each run and the median. Usage:
//   dotnet run -c Release --project Benchmarks/RosterImport [-- N R]             in process (warm after the first run)
//   dotnet run -c Release --project Benchmarks/RosterImport -- --whole [--exe PATH]... [--env NAME=VALUE]... [N R]
//     the whole command, cold, as an admin runs it: per run a new `CollectionWorker import-roster` process (the
//     built dll, through `dotnet`) on a fresh data directory, and beside it, from the same build in the same run,
//     the bare start-up (`check-config`: host, configuration, templates, nothing imported) and the command on a
//     one-student roster (its fixed cost). Wall time and processor time (user + system, the child's own rusage)
//     of each; medians with their range, and the ratios. Several --exe (a dll or an apphost; e.g. main built in
//     a temporary clone) are measured in turns within each run, so a busy machine weighs on all alike; --env sets
//     a variable for the children (e.g. DOTNET_TieredPGO=0).
//   dotnet run -c Release --project Benchmarks/RosterImport -- --write FILE [N]   only writes the roster (for profiling)
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
var exes = ValuesOf("--exe");
if (exes.Count == 0) exes.Add(Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll"));
var childEnvironment = ValuesOf("--env").Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => e.Length > 1 ? e[1] : "");
var numbers = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || args[i - 1] is not ("--exe" or "--env"))).Select(int.Parse).ToArray();
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
    foreach (var exe in exes)
        if (!File.Exists(exe)) throw new FileNotFoundException($"no CollectionWorker at {exe}: build Worker in Release first, or pass --exe");
    var config = Path.Combine(Repository.Root, "config");
    var one = Path.Combine(dir, "one.xlsx");
    BenchmarkRoster.Write(one, 1);
    Console.WriteLine($"load average at the start: {LoadAverage()}; children's environment: " +
                      (childEnvironment.Count == 0 ? "as this process's" : string.Join(" ", childEnvironment.Select(e => $"{e.Key}={e.Value}"))));
    // For each build: the bare start-up, the one-student command, the whole roster; one (wall, processor) per run.
    var commands = new[] { "check-config", "import-roster 1", $"import-roster {count}" };
    var times = exes.Select(_ => commands.Select(_ => new List<(double Wall, double Cpu)>()).ToArray()).ToArray();
    for (var run = 1; run <= runs; run++)
        for (var b = 0; b < exes.Count; b++)
        {
            times[b][0].Add(await RunAsync(exes[b], ["check-config", "--config", config]));
            times[b][1].Add(await RunAsync(exes[b], ["import-roster", one, "--config", config, "--data", Path.Combine(dir, $"one{run}-{b}")]));
            times[b][2].Add(await RunAsync(exes[b], ["import-roster", roster, "--config", config, "--data", Path.Combine(dir, $"full{run}-{b}")]));
            Console.WriteLine($"run {run}, build {b + 1}: " + string.Join("; ", commands.Select((c, i) => $"{c} {times[b][i][^1].Wall:0.00} s (processor {times[b][i][^1].Cpu:0.00} s)")));
        }
    Console.WriteLine($"load average at the end: {LoadAverage()}");

    Console.WriteLine();
    Console.WriteLine($"medians of {runs} runs (min–max), each command a new process on a fresh data directory:");
    for (var b = 0; b < exes.Count; b++)
    {
        Console.WriteLine($"build {b + 1}: {exes[b]}");
        for (var i = 0; i < commands.Length; i++)
            Console.WriteLine($"  {commands[i],-22} wall {Summary(times[b][i].Select(t => t.Wall))}   processor {Summary(times[b][i].Select(t => t.Cpu))}");
        double Ratio(int i, Func<(double Wall, double Cpu), double> of) => Median(times[b][i].Select(of)) / Median(times[b][0].Select(of));
        Console.WriteLine($"  import-roster {count} ÷ bare start-up: {Ratio(2, t => t.Wall):0.0}x wall, {Ratio(2, t => t.Cpu):0.0}x processor; " +
                          $"the roster's own cost (÷ one-student command): {Median(times[b][2].Select(t => t.Wall)) / Median(times[b][1].Select(t => t.Wall)):0.0}x wall, " +
                          $"{Median(times[b][2].Select(t => t.Cpu)) / Median(times[b][1].Select(t => t.Cpu)):0.0}x processor");
        if (b > 0)
            Console.WriteLine($"  against build 1: import-roster {count} {Median(times[b][2].Select(t => t.Wall)) / Median(times[0][2].Select(t => t.Wall)):0.00}x wall, " +
                              $"{Median(times[b][2].Select(t => t.Cpu)) / Median(times[0][2].Select(t => t.Cpu)):0.00}x processor; " +
                              $"bare start-up {Median(times[b][0].Select(t => t.Cpu)) / Median(times[0][0].Select(t => t.Cpu)):0.00}x processor");
    }

    // Wall time, and the processor time (user + system, every thread: JIT and GC included) the child used, from the
    // kernel's account of this process's finished children; on a busy machine that says what the command itself costs.
    async Task<(double Wall, double Cpu)> RunAsync(string exe, string[] arguments)
    {
        var viaDotnet = exe.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(viaDotnet ? "dotnet" : exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (viaDotnet) start.ArgumentList.Add(exe);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (name, value) in childEnvironment) start.Environment[name] = value;
        var cpuBefore = ChildrenCpu.Seconds();
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        sw.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{exe} {string.Join(' ', arguments)}: exit {process.ExitCode}: {await stdout}{await stderr}");
        return (sw.Elapsed.TotalSeconds, ChildrenCpu.Seconds() - cpuBefore);
    }
}

List<string> ValuesOf(string option) => args.Select((a, i) => (a, i)).Where(x => x.a == option && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToList();

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string Summary(IEnumerable<double> values)
{
    var list = values.ToList();
    return $"{Median(list),6:0.00} s ({list.Min():0.00}–{list.Max():0.00})";
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
