// Imports a generated roster of N students (default 20,000) into a fresh store, R times (default 5),
// and prints each run and the median. Usage: dotnet run -c Release --project Benchmarks/RosterImport [-- N R]
using System.Diagnostics;
using ClosedXML.Excel;
using CollectionWorker.Campaign;
using CollectionWorker.Roster;
using CollectionWorker.Store;
using Microsoft.Extensions.Logging.Abstractions;

var count = args.Length > 0 ? int.Parse(args[0]) : 20_000;
var runs = args.Length > 1 ? int.Parse(args[1]) : 5;
var dir = Path.Combine(Path.GetTempPath(), "cw-roster-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dir);
var roster = Path.Combine(dir, "roster.xlsx");
BenchmarkRoster.Write(roster, count);
Console.WriteLine($"roster: {count} students, {new FileInfo(roster).Length / 1024} KiB");

var times = new List<double>();
for (var run = 1; run <= runs; run++)
{
    var dbFile = Path.Combine(dir, $"run{run}.db");
    var db = new Database(dbFile);
    await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync();
    var importer = new RosterImporter(db, new RosterWorkbookReader(), new RosterValidator(new CohortMatcher(CampaignOptions.NoticeCohorts)),
        TimeProvider.System, NullLogger<RosterImporter>.Instance);
    var sw = Stopwatch.StartNew();
    var result = await importer.ImportAsync(roster, "benchmark");
    sw.Stop();
    if (!result.Succeeded) throw new InvalidOperationException(string.Join("\n", result.Problems.Take(5)));
    times.Add(sw.Elapsed.TotalSeconds);
    Console.WriteLine($"run {run}: {sw.Elapsed.TotalSeconds:0.00} s ({result.Added} added)");
}
times.Sort();
Console.WriteLine($"median {times[times.Count / 2]:0.00} s, min {times[0]:0.00} s, max {times[^1]:0.00} s over {runs} runs");
Directory.Delete(dir, true);
