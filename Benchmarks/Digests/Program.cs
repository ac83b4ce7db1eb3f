// Builds and sends the daily digest (HTML + Excel workbook) for T teachers covering S students to an
// SMTP server on 127.0.0.1 in this process, R times. Usage:
//   dotnet run -c Release --project Benchmarks/Digests [-- teachers students runs]
using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CollectionWorker.Host;
using CollectionWorker.Notifications;
using CollectionWorker.Roster;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

var teachers = args.Length > 0 ? int.Parse(args[0]) : 500;
var studentCount = args.Length > 1 ? int.Parse(args[1]) : 20_000;
var runs = args.Length > 2 ? int.Parse(args[2]) : 3;

var repo = Repository.Root;
var received = 0L;
var port = FreePort();
var server = new SmtpServer.SmtpServer(
    new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, port))).Build(),
    new Func<SmtpServer.ComponentModel.ServiceProvider>(() => { var p = new SmtpServer.ComponentModel.ServiceProvider(); p.Add(new CountingStore(() => Interlocked.Increment(ref received))); return p; })());
_ = server.StartAsync(CancellationToken.None);

Environment.SetEnvironmentVariable("CollectionWorker__Smtp__Host", args.Contains("--eml") ? "" : "127.0.0.1");
Environment.SetEnvironmentVariable("CollectionWorker__Smtp__Port", port.ToString());
Environment.SetEnvironmentVariable("CollectionWorker__Smtp__Security", "None");

var times = new List<double>();
for (var run = 1; run <= runs; run++)
{
    var data = Path.Combine(Path.GetTempPath(), "cw-digest-bench-" + Guid.NewGuid().ToString("N")[..8]);
    var roster = Path.Combine(data, "roster.xlsx");
    Directory.CreateDirectory(data);
    BenchmarkRoster.Write(roster, studentCount, placement: i => ($"20级{i % teachers:000}-{i / teachers % 2 + 1}班", $"老师{i % teachers:000}", $"t{i % teachers:000}@example.edu.cn"));
    using var host = AppHost.Build(CommandLine.Parse(["status", "--data", data]), Path.Combine(repo, "config"));
    await AppHost.PrepareStoreAsync(host.Services);
    var import = await host.Services.GetRequiredService<RosterImporter>().ImportAsync(roster, "benchmark");
    if (!import.Succeeded) throw new InvalidOperationException(string.Join("\n", import.Problems.Take(3)));
    await MarkSomeStudentsAsync(host.Services.GetRequiredService<Database>());

    var outbox = host.Services.GetRequiredService<Outbox>();
    await using (var c = await host.Services.GetRequiredService<Database>().OpenAsync())
    {
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
        for (var t = 0; t < teachers; t++)
            await outbox.EnqueueAsync(c, tx, new OutboxMessage($"digest:t{t:000}:{run}", "teacher-digest", $"t{t:000}@example.edu.cn", $"老师{t:000}", new { run }));
        await tx.CommitAsync();
    }

    var sender = ActivatorUtilities.CreateInstance<OutboxSender>(host.Services, NullLogger<OutboxSender>.Instance);
    var before = Interlocked.Read(ref received);
    var sw = Stopwatch.StartNew();
    while ((await sender.SendDueAsync(CancellationToken.None)).Taken > 0) { }
    sw.Stop();
    var sent = Interlocked.Read(ref received) - before;
    if (sent != teachers && !args.Contains("--eml")) throw new InvalidOperationException($"{sent} of {teachers} digests arrived");
    times.Add(sw.Elapsed.TotalSeconds);
    Console.WriteLine($"run {run}: {teachers} digests ({studentCount} students) in {sw.Elapsed.TotalSeconds:0.00} s ({teachers / sw.Elapsed.TotalSeconds:0} digests/s)");
    Directory.Delete(data, true);
}
times.Sort();
Console.WriteLine($"median {times[times.Count / 2]:0.00} s, min {times[0]:0.00} s, max {times[^1]:0.00} s over {runs} runs");
server.Shutdown();

static async Task MarkSomeStudentsAsync(Database db)
{
    // A realistic mix: a third approved, some rejected with reasons, the rest missing.
    await using var c = await db.OpenAsync();
    await c.ExecuteAsync(
        """
        INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at, resubmit_deadline, reasons_zh)
        SELECT id, 1, hex(randomblob(16)), 'p.jpg', 30000, '2022-05-06T01:00:00.000Z', 'in_window',
               CASE WHEN id % 3 = 0 THEN 'approved' ELSE 'rejected' END, '2022-05-06T01:00:00.000Z',
               CASE WHEN id % 3 = 0 THEN NULL ELSE '2099-01-01T00:00:00.000Z' END,
               CASE WHEN id % 3 = 0 THEN NULL ELSE '背景颜色不符合要求' END
        FROM students WHERE id % 3 = 0 OR id % 7 = 0
        """);
}

static int FreePort()
{
    var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    var p = ((IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return p;
}

sealed class CountingStore(Action onMessage) : MessageStore
{
    public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
    {
        onMessage();
        return Task.FromResult(SmtpResponse.Ok);
    }
}
