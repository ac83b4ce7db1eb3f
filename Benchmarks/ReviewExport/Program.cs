// Exports a review sheet of N submissions awaiting review, each with a ~30 KB 480x640 JPEG in the
// archive and a PNG evidence image, R times; then fills the last sheet (every row approved, as a
// reviewer would) and imports it once. Usage:
//   dotnet run -c Release --project Benchmarks/ReviewExport [-- submissions runs]
using System.Diagnostics;
using System.Security.Cryptography;
using CollectionWorker.Host;
using CollectionWorker.Inspection;
using CollectionWorker.Review;
using CollectionWorker.Sheets;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

var count = args.Length > 0 ? int.Parse(args[0]) : 2000;
var runs = args.Length > 1 ? int.Parse(args[1]) : 3;
var repo = Repository.Root;
var data = Path.Combine(Path.GetTempPath(), "cw-review-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(data);
try
{
    using var host = AppHost.Build(CommandLine.Parse(["status", "--data", data]), Path.Combine(repo, "config"));
    await AppHost.PrepareStoreAsync(host.Services);
    var setup = Stopwatch.StartNew();
    await SeedAsync(host.Services.GetRequiredService<Database>(), host.Services.GetRequiredService<DataPaths>(), count);
    Console.WriteLine($"seeded {count} submissions awaiting review (photos and evidence images on disk) in {setup.Elapsed.TotalSeconds:0.0} s; {Environment.ProcessorCount} cores");

    var exporter = host.Services.GetRequiredService<ReviewSheetExporter>();
    var times = new List<double>();
    string? last = null;
    for (var run = 1; run <= runs; run++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = await exporter.ExportAsync("benchmark");
        sw.Stop();
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        if (result.Pending != count) throw new InvalidOperationException($"{result.Pending} of {count} rows exported");
        var size = new FileInfo(result.File!).Length;
        times.Add(sw.Elapsed.TotalSeconds);
        Console.WriteLine($"run {run}: {count} rows exported in {sw.Elapsed.TotalSeconds:0.00} s (processor {cpuUsed.TotalSeconds:0.0} s), {size / 1048576.0:0.0} MB");
        last = result.File;
    }
    times.Sort();
    Console.WriteLine($"export: median {times[times.Count / 2]:0.00} s, min {times[0]:0.00} s, max {times[^1]:0.00} s over {runs} runs; limit 30 s and 25 MB");

    // The way back, once: approve every row as a reviewer's Excel would save it (cells edited, thumbnails kept), then import.
    var filled = Path.Combine(data, "filled.xlsx");
    var fill = Stopwatch.StartNew();
    File.Copy(last!, filled);
    int decision;
    using (var read = XlsxCells.Open(filled))
        decision = read.Read(ReviewSheetLayout.PendingSheet)!.Row(ReviewSheetLayout.HeaderRow)!.Cells.Single(c => c.Text == ReviewSheetLayout.Decision).Column;
    XlsxFill.Texts(filled, ReviewSheetLayout.PendingSheet,
        [(ReviewSheetLayout.ReviewerRow, 2, "benchmark"),
         .. Enumerable.Range(ReviewSheetLayout.FirstDataRow, count).Select(r => (r, decision, ReviewSheetLayout.Approve))]);
    Console.WriteLine($"filled as a reviewer would (cells typed with Sheets/XlsxFill, thumbnails kept) in {fill.Elapsed.TotalSeconds:0.00} s");
    var import = Stopwatch.StartNew();
    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var imported = await host.Services.GetRequiredService<ReviewImporter>().ImportAsync(filled, "benchmark");
    Console.WriteLine($"import: {imported.Summary} in {import.Elapsed.TotalSeconds:0.00} s (processor {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:0.0} s); peak working set of the benchmark {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB");
}
finally
{
    Directory.Delete(data, recursive: true);
}

static async Task SeedAsync(Database db, DataPaths paths, int count)
{
    paths.EnsureCreated();
    // 40 distinct portraits; each submission gets its own bytes (a trailing comment after the JPEG end) so every hash differs.
    var bases = Enumerable.Range(0, 40).Select(Portrait).ToList();
    // Evidence written the way the inspection writes it (EvidencePng), so the export decodes what it meets in service.
    var evidence = bases.Select(b =>
    {
        using var image = Image.Load<Rgb24>(b.Jpeg);
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        return EvidencePng.Encode(rgb, image.Width, image.Height);
    }).ToList();
    await using var c = await db.OpenAsync();
    await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
    var now = DateTimeOffset.UtcNow;
    for (var i = 0; i < count; i++)
    {
        var bytes = bases[i % bases.Count].Jpeg.Concat(System.Text.Encoding.ASCII.GetBytes($"#{i}")).ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Directory.CreateDirectory(Path.GetDirectoryName(paths.ArchiveFileFor(sha))!);
        await File.WriteAllBytesAsync(paths.ArchiveFileFor(sha), bytes);
        var studentId = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO students (student_number, national_id, name, gender, birth_date, grade, major, class_name, school, track, teacher_name,
                                  teacher_email, eligible, cohort, created_at, updated_at)
            VALUES (@number, @id, @name, '男', '2001-01-01', '2020级', '计算机应用技术', @class, '广东理工职业学院', '', '王老师', 'wang@example.edu.cn', 1,
                    '广东理工职业学院 2020级', @now, @now)
            RETURNING id
            """, new { number = $"2020{i:000000}", id = $"ID{i:000000}", name = $"学生{i:0000}", @class = $"20级{i / 50}班", now = UtcTimestamp.ToText(now) }, tx);
        var submissionId = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at, verdict)
            VALUES (@studentId, 1, @sha, 'p.jpg', @size, @received, 'in_window', 'awaiting_review', @received, 'review') RETURNING id
            """, new { studentId, sha, size = bytes.Length, received = UtcTimestamp.ToText(now.AddMinutes(-i)) }, tx);
        await c.ExecuteAsync(
            "INSERT INTO findings (submission_id, code, severity, value, limit_text, message_zh, message_en) VALUES (@submissionId, 'HEAD_TOP', 'review', '46 px', '50–110 px', '头顶距上边缘偏小', 'head top close to the edge')",
            new { submissionId }, tx);
        await File.WriteAllBytesAsync(Path.Combine(paths.Evidence, $"{submissionId}.png"), evidence[i % evidence.Count]);
    }
    await tx.CommitAsync();
    Console.WriteLine($"photo {bases.Average(b => b.Jpeg.Length) / 1024:0} KB, evidence PNG {evidence.Average(e => e.Length) / 1024:0} KB on average");
}

// A 480x640 portrait with texture, so the JPEG is the 20-40 KB the standard expects and decodes like a real one.
static (byte[] Jpeg, int Seed) Portrait(int seed)
{
    var random = new Random(seed);
    using var image = new Image<Rgb24>(480, 640);
    image.ProcessPixelRows(rows =>
    {
        for (var y = 0; y < rows.Height; y++)
        {
            var row = rows.GetRowSpan(y);
            for (var x = 0; x < row.Length; x++)
            {
                var dx = (x - 240) / 110.0;
                var dy = (y - 280) / 150.0;
                var n = random.Next(-9, 10);
                row[x] = dx * dx + dy * dy < 1 ? new Rgb24((byte)(215 + n), (byte)(170 + n), (byte)(140 + n))
                    : y > 470 ? new Rgb24((byte)(40 + n), (byte)(40 + n), (byte)(60 + seed % 40 + n))
                    : new Rgb24((byte)(100 + n / 2), (byte)(197 + n / 2), 255);
            }
        }
    });
    using var output = new MemoryStream();
    image.SaveAsJpeg(output, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 80 });
    return (output.ToArray(), seed);
}
