using System.Security.Cryptography;
using CollectionWorker.Deadlines;
using CollectionWorker.Review;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CollectionWorker.Tests.Review;

/// <summary>
/// A campaign with a roster and submissions made directly in the store (intake and inspection are
/// tested elsewhere), real JPEG photos in the archive and PNG evidence images, and helpers to fill a
/// review sheet as a reviewer would in Excel.
/// </summary>
public sealed class ReviewWorld : IDisposable
{
    public const string StudioEmail = "studio@example.edu.cn";
    public const string TeacherEmail = "wang@example.edu.cn";

    private ReviewWorld(TestHost host, IHost services)
    {
        Host = host;
        Services = services;
    }

    public TestHost Host { get; }
    public IHost Services { get; }
    public T Get<T>() where T : notnull => Services.Services.GetRequiredService<T>();

    public static async Task<ReviewWorld> CreateAsync(int students = 8, string extraJson = "", Func<TestStudent, TestStudent>? edit = null)
    {
        var host = new TestHost($$"""{ "Notifications": { "StudioEmail": "{{StudioEmail}}" }, "Review": { "StableFor": "00:00:00" {{extraJson}} } }""");
        var list = Enumerable.Range(1, students).Select(i => TestStudent.Make(i, email: TeacherEmail)).Select(edit ?? (s => s)).ToList();
        var import = await host.RunAsync("import-roster", RosterBuilder.Write(host.File("roster.xlsx"), list));
        Assert.True(import.Exit == 0, import.Err);
        return new ReviewWorld(host, await host.BuildAsync());
    }

    public static string Number(int student) => TestStudent.Make(student).StudentNumber;

    /// <summary>
    /// An upload of student <paramref name="student"/> received <paramref name="hoursAgo"/> hours ago, in
    /// <paramref name="state"/>, with a real JPEG in the archive and (unless told not to) an evidence PNG.
    /// Awaiting review: review SLA deadlines as the inspection stage would add. Rejected by the inspection:
    /// a resubmission deadline and reasons.
    /// </summary>
    public async Task<(long Id, string Sha)> SubmitAsync(int student, string state = "awaiting_review", double hoursAgo = 3, bool evidence = true,
        int shade = 0, byte[]? photo = null)
    {
        var jpeg = photo ?? Portrait(student * 31 + shade);
        var sha = Convert.ToHexStringLower(SHA256.HashData(jpeg));
        var paths = Get<DataPaths>();
        Directory.CreateDirectory(Path.GetDirectoryName(paths.ArchiveFileFor(sha))!);
        await File.WriteAllBytesAsync(paths.ArchiveFileFor(sha), jpeg);
        var received = DateTimeOffset.UtcNow.AddHours(-hoursAgo);
        var db = Get<Database>();
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var autoRejected = state == "rejected";
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at,
                                     verdict, decided_by, reasons_zh, reasons_en)
            SELECT id, 1 + (SELECT count(*) FROM submissions x WHERE x.student_id = students.id), @sha, 'photo.jpg', @size, @received, 'in_window',
                   @state, @changed, @verdict, @decidedBy, @reasonsZh, @reasonsEn
            FROM students WHERE student_number = @number
            RETURNING id
            """,
            new
            {
                sha, size = jpeg.Length, received = UtcTimestamp.ToText(received), state, changed = UtcTimestamp.ToText(received.AddMinutes(1)),
                verdict = autoRejected ? "reject" : "review", decidedBy = autoRejected ? "inspection" : null,
                reasonsZh = autoRejected ? "背景颜色不符合要求" : null, reasonsEn = autoRejected ? "background colour" : null, number = Number(student),
            }, tx);
        // A newer upload replaces the older ones, as intake does.
        await c.ExecuteAsync("UPDATE submissions SET state = 'superseded' WHERE student_id = (SELECT student_id FROM submissions WHERE id = @id) AND id < @id",
            new { id }, tx);
        var deadlines = Get<DeadlineRows>();
        if (state == "awaiting_review")
        {
            await deadlines.AddReviewSlaAsync(c, tx, id, received);
            await c.ExecuteAsync(
                """
                INSERT INTO findings (submission_id, code, severity, value, limit_text, message_zh, message_en)
                VALUES (@id, 'HEAD_TOP', 'review', '46 px', '50–110 px', '头顶距上边缘偏小', 'head top close to the edge')
                """, new { id }, tx);
        }
        if (autoRejected)
        {
            var due = deadlines.ResubmissionDue(received.AddMinutes(1));
            await c.ExecuteAsync("UPDATE submissions SET resubmit_deadline = @due WHERE id = @id", new { due = UtcTimestamp.ToText(due), id }, tx);
            await deadlines.AddResubmissionAsync(c, tx, id, due);
        }
        await tx.CommitAsync();

        if (evidence)
        {
            Directory.CreateDirectory(paths.Evidence);
            using var image = Image.Load<Rgb24>(jpeg); // PNG and grayscale test photos load too
            image.Mutate(x => x.DrawLinesLike());
            await image.SaveAsPngAsync(Path.Combine(paths.Evidence, $"{id}.png"));
        }
        return (id, sha);
    }

    /// <summary>A 480 x 640 studio-like portrait: light-blue backdrop, a face-coloured oval, dark clothing.</summary>
    public static byte[] Portrait(int seed)
    {
        using var image = new Image<Rgb24>(480, 640, new Rgb24(100, 197, 255));
        var skin = new Rgb24((byte)(200 + seed % 40), (byte)(160 + seed % 30), 130);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var dx = (x - 240) / 110.0;
                    var dy = (y - 280) / 150.0;
                    if (dx * dx + dy * dy < 1) row[x] = skin;
                    else if (y > 470) row[x] = new Rgb24(40, 40, (byte)(40 + seed % 50));
                }
            }
        });
        using var output = new MemoryStream();
        image.SaveAsJpeg(output, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 85 });
        return output.ToArray();
    }

    public async Task<string> ExportAsync()
    {
        var result = await Host.RunAsync("export-review");
        Assert.True(result.Exit == 0, result.Err);
        var file = result.Out.Trim();
        Assert.True(File.Exists(file), $"no sheet at '{file}': {result.Err}");
        return file;
    }

    /// <summary>
    /// Fills a copy of <paramref name="sheet"/> as a reviewer would in Excel and saves it as
    /// <paramref name="saveAs"/> (a file name in the test folder): the reviewer's name, then per student
    /// number the decision, reasons and note. Only those cells change (the thumbnails, protection and
    /// hidden keys stay as exported). A decision starting with '=' is typed as a formula without a stored
    /// result (the program that re-saves it computes one); a note is always text. Returns the path.
    /// </summary>
    public string Fill(string sheet, string saveAs, string? reviewer, params (string Sheet, int Student, string Decision, string Reasons, string Note)[] rows) =>
        Fill(sheet, saveAs, reviewer, null, rows);

    public string Fill(string sheet, string saveAs, string? reviewer, Action<WorkbookEditor>? edit,
        params (string Sheet, int Student, string Decision, string Reasons, string Note)[] rows)
    {
        var target = Host.File(saveAs);
        using (var wb = WorkbookEditor.Edit(sheet, target))
        {
            if (reviewer is not null)
                foreach (var name in wb.SheetNames.Where(n => n != ReviewSheetLayout.ListsSheet).ToList())
                    wb.Sheet(name).SetText(ReviewSheetLayout.ReviewerRow, 2, reviewer);
            foreach (var (name, student, decision, reasons, note) in rows)
            {
                var ws = wb.Sheet(name);
                var r = RowOf(ws, Number(student));
                if (decision.StartsWith('=')) ws.SetFormula(r, Column(ws, ReviewSheetLayout.Decision), decision);
                else ws.SetText(r, Column(ws, ReviewSheetLayout.Decision), decision);
                ws.SetText(r, Column(ws, ReviewSheetLayout.Reasons), reasons);
                ws.SetText(r, Column(ws, ReviewSheetLayout.Note), note);
            }
            edit?.Invoke(wb);
        }
        return target;
    }

    /// <summary>The column under <paramref name="header"/> in the header row.</summary>
    public static int Column(ICellLookup ws, string header) => ws.ColumnOf(ReviewSheetLayout.HeaderRow, header);

    /// <summary>The row of a student number.</summary>
    public static int RowOf(ICellLookup ws, string studentNumber) => ws.RowOf(Column(ws, ReviewSheetLayout.StudentNumber), studentNumber);

    public async Task<System.Data.Common.DbConnection> OpenAsync() => await Get<Database>().OpenAsync();

    public async Task<(string State, string? DecidedBy, string? ReasonsZh, string? Deadline)> SubmissionAsync(long id)
    {
        await using var c = await OpenAsync();
        return await c.QuerySingleAsync<(string, string?, string?, string?)>(
            "SELECT state, decided_by, reasons_zh, resubmit_deadline FROM submissions WHERE id = @id", new { id });
    }

    public async Task<List<(string Kind, string State, string? Outcome)>> DeadlinesAsync(long id)
    {
        await using var c = await OpenAsync();
        return (await c.QueryAsync<(string, string, string?)>("SELECT kind, state, outcome FROM deadlines WHERE submission_id = @id ORDER BY kind",
            new { id })).ToList();
    }

    public async Task<List<(string Actor, string Action, string Subject, string Detail)>> AuditAsync(string actionPrefix = "review")
    {
        await using var c = await OpenAsync();
        return (await c.QueryAsync<(string, string, string, string)>(
            "SELECT actor, action, subject, coalesce(detail, '') FROM audit_log WHERE action LIKE @p ORDER BY id", new { p = actionPrefix + "%" })).ToList();
    }

    /// <summary>The receipt's rows: student number → (outcome code, message).</summary>
    public static Dictionary<string, (string Code, string Message)> Receipt(string file)
    {
        var ws = WorkbookView.Open(file).Sheet(1);
        var result = new Dictionary<string, (string, string)>();
        for (var r = 7; r <= ws.LastRow; r++)
        {
            var key = ws.Text(r, 3);
            if (key.Length == 0) key = ws.Text(r, 11);
            result[key] = (ws.Text(r, 8), ws.Text(r, 9));
        }
        return result;
    }

    public void Dispose()
    {
        Services.Dispose();
        Host.Dispose();
    }
}

internal static class EvidenceDrawing
{
    /// <summary>Marks the image the way an annotated evidence image differs from the photo: a red frame.</summary>
    public static IImageProcessingContext DrawLinesLike(this IImageProcessingContext context) =>
        context.ProcessPixelRowsAsVector4(row =>
        {
            for (var x = 0; x < row.Length; x += 40) row[x] = new System.Numerics.Vector4(1, 0, 0, 1);
        });
}
