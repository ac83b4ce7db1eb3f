// Starts the real worker (a child process, as a service manager would) on a campaign of N students
// (default 20,000) with D pending deadlines (default 5,000), R times (default 3) each cold (no
// scheduler file yet: every deadline becomes a Quartz trigger) and warm (a restart: the triggers are
// there), and prints each start and the medians. A start is timed from process launch to the host's
// "Application started", which comes after the first planning pass.
// Usage: dotnet run -c Release --project Benchmarks/DeadlinesStartup [-- N D R]
using System.Diagnostics;
using System.Text.RegularExpressions;
using CollectionWorker.Campaign;
using CollectionWorker.Roster;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

var students = args.Length > 0 ? int.Parse(args[0]) : 20_000;
var deadlines = args.Length > 1 ? int.Parse(args[1]) : 5_000;
var runs = args.Length > 2 ? int.Parse(args[2]) : 3;
var root = Path.Combine(Path.GetTempPath(), "cw-deadlines-bench-" + Guid.NewGuid().ToString("N")[..8]);
var pristine = Path.Combine(root, "pristine");
var config = Path.Combine(root, "config");
Directory.CreateDirectory(pristine);
Directory.CreateDirectory(config);

var now = DateTimeOffset.UtcNow;
string Iso(DateTimeOffset t) => t.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
Repository.CopyTemplatesBeside(config);
File.WriteAllText(Path.Combine(config, "appsettings.json"), $$"""
    { "Logging": { "LogLevel": { "Default": "Information", "Quartz": "Warning" } },
      "Campaign": { "PreparationStart": "{{Iso(now.AddDays(-10))}}", "PreparationEnd": "{{Iso(now.AddDays(-1))}}",
                    "UploadStart": "{{Iso(now.AddDays(-1))}}", "UploadEnd": "{{Iso(now.AddDays(6))}}" },
      "Notifications": { "AdminEmails": [ "admin@example.edu.cn" ], "StudioEmail": "studio@example.edu.cn" } }
    """);

// The campaign: a real roster import, then submissions and deadline rows as the deciding stages write them.
var roster = Path.Combine(root, "roster.xlsx");
BenchmarkRoster.Write(roster, students);
var db = new Database(Path.Combine(pristine, "collection.db"));
await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync();
var import = await new RosterImporter(db, new RosterWorkbookReader(), new RosterValidator(new CohortMatcher(CampaignOptions.NoticeCohorts)),
    TimeProvider.System, NullLogger<RosterImporter>.Instance).ImportAsync(roster, "benchmark");
if (!import.Succeeded) throw new InvalidOperationException(string.Join("\n", import.Problems.Take(5)));
await using (var c = await db.OpenAsync())
await using (var tx = await c.BeginTransactionAsync())
{
    // Two in five pending deadlines are resubmissions (one per rejected upload), the rest review SLAs (two per upload awaiting review).
    var rejected = deadlines * 2 / 5;
    var reviewing = (deadlines - rejected) / 2;
    var ids = (await c.QueryAsync<long>("SELECT id FROM students ORDER BY id LIMIT @n", new { n = rejected + reviewing }, tx)).ToList();
    for (var i = 0; i < ids.Count; i++)
    {
        var review = i >= rejected;
        var at = now.AddMinutes(-i % 600);
        var sid = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at, resubmit_deadline)
            VALUES (@student, 1, @sha, 'p.jpg', 30000, @at, 'in_window', @state, @at, @due) RETURNING id
            """,
            new
            {
                student = ids[i], sha = i.ToString("x64"), at = UtcTimestamp.ToText(at), state = review ? "awaiting_review" : "rejected",
                due = review ? null : UtcTimestamp.ToText(at.AddHours(48)),
            }, tx);
        var kinds = review ? new[] { ("review_sla_warning", 40), ("review_sla_escalation", 48) } : [("resubmission", 48)];
        foreach (var (kind, hours) in kinds)
            await c.ExecuteAsync("INSERT INTO deadlines (kind, submission_id, due_at, created_at) VALUES (@kind, @sid, @due, @now)",
                new { kind, sid, due = UtcTimestamp.ToText(at.AddHours(hours)), now = UtcTimestamp.ToText(now) }, tx);
    }
    await tx.CommitAsync();
    Console.WriteLine($"campaign: {students} students, {await c.ExecuteScalarAsync<int>("SELECT count(*) FROM deadlines WHERE state = 'pending'")} pending deadlines");
}
Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

var cold = new List<double>();
var warm = new List<double>();
for (var run = 1; run <= runs; run++)
{
    var data = Path.Combine(root, $"run{run}");
    Directory.CreateDirectory(data);
    foreach (var f in Directory.GetFiles(pristine)) File.Copy(f, Path.Combine(data, Path.GetFileName(f)));
    var (coldSeconds, coldPlan) = await StartOnceAsync(config, data);
    var (warmSeconds, warmPlan) = await StartOnceAsync(config, data);
    cold.Add(coldSeconds);
    warm.Add(warmSeconds);
    Console.WriteLine($"run {run}: cold start {coldSeconds:0.00} s (plan {coldPlan}), warm restart {warmSeconds:0.00} s (plan {warmPlan})");
}
cold.Sort();
warm.Sort();
Console.WriteLine($"median cold start {cold[cold.Count / 2]:0.00} s (min {cold[0]:0.00}, max {cold[^1]:0.00}); " +
                  $"median warm restart {warm[warm.Count / 2]:0.00} s (min {warm[0]:0.00}, max {warm[^1]:0.00}) over {runs} runs");

// Catch-up: every deadline passed while the service was down; how long until the restarted service has handled them all.
{
    var data = Path.Combine(root, "catch-up");
    Directory.CreateDirectory(data);
    foreach (var f in Directory.GetFiles(Path.Combine(root, "run1"))) File.Copy(f, Path.Combine(data, Path.GetFileName(f)));
    var moved = new Database(Path.Combine(data, "collection.db"));
    await using (var c = await moved.OpenAsync())
    {
        await c.ExecuteAsync("UPDATE deadlines SET due_at = @past WHERE state = 'pending'", new { past = UtcTimestamp.ToText(now.AddHours(-1)) });
        await c.ExecuteAsync("UPDATE submissions SET resubmit_deadline = @past WHERE state = 'rejected'", new { past = UtcTimestamp.ToText(now.AddHours(-1)) });
    }
    // The stored triggers still say "later": drop the scheduler file so this start plans them as overdue, as after a long outage.
    foreach (var f in Directory.GetFiles(data, "scheduler.db*")) File.Delete(f);
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    var sw = Stopwatch.StartNew();
    var worker = StartWorker(config, data, out var started);
    await started;
    int pending;
    do
    {
        await Task.Delay(200);
        await using var c = await moved.OpenAsync();
        pending = await c.ExecuteScalarAsync<int>("SELECT count(*) FROM deadlines WHERE state = 'pending'");
    } while (pending > 0 && sw.Elapsed < TimeSpan.FromMinutes(5));
    Console.WriteLine($"catch-up: {deadlines} overdue deadlines handled {sw.Elapsed.TotalSeconds:0.0} s after launch ({pending} left)");
    Process.Start("kill", ["-TERM", worker.Id.ToString()])!.WaitForExit();
    await worker.WaitForExitAsync();
}
Directory.Delete(root, true);

static Process StartWorker(string config, string data, out Task started)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll"), "run", "--config", config, "--data", data })
        info.ArgumentList.Add(a);
    var ready = new TaskCompletionSource();
    var p = Process.Start(info)!;
    p.OutputDataReceived += (_, e) => { if (e.Data?.Contains("Application started") == true) ready.TrySetResult(); };
    p.ErrorDataReceived += (_, _) => { };
    p.BeginOutputReadLine();
    p.BeginErrorReadLine();
    started = ready.Task;
    return p;
}

static async Task<(double Seconds, string Plan)> StartOnceAsync(string config, string data)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll"), "run", "--config", config, "--data", data })
        info.ArgumentList.Add(a);
    var started = new TaskCompletionSource();
    var plan = "";
    var output = new List<string>();
    var sw = Stopwatch.StartNew();
    using var p = Process.Start(info)!;
    DataReceivedEventHandler onLine = (_, e) =>
    {
        if (e.Data is null) return;
        lock (output) output.Add(e.Data);
        if (Regex.Match(e.Data, @"Deadline plan ready in (\d+ ms: \d+ pending deadline\(s\), \d+ trigger\(s\) added)") is { Success: true } m) plan = m.Groups[1].Value;
        if (e.Data.Contains("Application started")) started.TrySetResult();
    };
    p.OutputDataReceived += onLine;
    p.ErrorDataReceived += onLine;
    p.BeginOutputReadLine();
    p.BeginErrorReadLine();
    if (await Task.WhenAny(started.Task, p.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120))) != started.Task)
        throw new InvalidOperationException("the worker did not start:\n" + string.Join("\n", output));
    var seconds = sw.Elapsed.TotalSeconds;
    Process.Start("kill", ["-TERM", p.Id.ToString()])!.WaitForExit();
    await p.WaitForExitAsync();
    return (seconds, plan);
}
