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
WriteRoster(roster, count);
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

static void WriteRoster(string path, int count)
{
    using var wb = new XLWorkbook();
    var ws = wb.AddWorksheet("名单");
    string[] headers = ["姓名", "性别", "学号", "身份证号", "出生日期", "年级", "专业", "班级", "办学单位", "类别", "班主任", "班主任邮箱"];
    for (var c = 0; c < headers.Length; c++) ws.Cell(1, c + 1).SetValue(headers[c]);
    for (var i = 0; i < count; i++)
    {
        var male = i % 2 == 1;
        var birth = new DateOnly(2001, 1, 1).AddDays(i % 700);
        var first17 = $"44{i / 1000 % 10000:0000}{birth:yyyyMMdd}{i % 500 * 2 + (male ? 1 : 0):000}";
        var id = first17 + NationalId.ComputeCheckChar(first17);
        var cls = $"20级{i / 40 % 500:000}班";
        string[] cells = [$"学生{i:00000}", male ? "男" : "女", $"2020{i:000000}", id, birth.ToString("yyyy-MM-dd"), "2020级", "计算机应用技术",
            cls, "广东理工职业学院", "", $"老师{i / 40 % 500:000}", $"t{i / 40 % 500:000}@example.edu.cn"];
        for (var c = 0; c < cells.Length; c++) ws.Cell(i + 2, c + 1).SetValue(cells[c]);
    }
    wb.SaveAs(path);
}
