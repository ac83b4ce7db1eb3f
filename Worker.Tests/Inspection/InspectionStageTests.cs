using System.Security.Cryptography;
using CollectionWorker.Inspection;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CollectionWorker.Tests.Inspection;

/// <summary>The stage that takes intake's rows through the full inspection (image and face) into review or rejection.</summary>
public class InspectionStageTests
{
    private static async Task<long> ArchiveAsync(TestHost host, int student, byte[] jpeg)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(jpeg));
        var file = Path.Combine(host.DataDirectory, "archive", sha[..2], sha + ".jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, jpeg);
        await using var c = await host.OpenStoreAsync();
        return await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at)
            SELECT id, 1, @sha, 'photo.jpg', @size, '2022-05-06T02:00:00.000Z', 'in_window', 'awaiting_inspection', '2022-05-06T02:00:00.000Z'
            FROM students WHERE student_number = @number RETURNING id
            """, new { sha, size = jpeg.Length, number = TestStudent.Make(student).StudentNumber });
    }

    [Fact]
    public async Task A_good_photo_goes_to_review_with_its_sla_and_a_bad_one_is_rejected_with_reasons_a_deadline_and_a_notice()
    {
        using var host = new TestHost();
        Assert.Equal(0, (await host.RunAsync("import-roster", RosterBuilder.Write(host.File("r.xlsx"), [TestStudent.Make(1), TestStudent.Make(2)]))).Exit);
        var good = await ArchiveAsync(host, 1, PortraitGenerator.Jpeg(new PortraitSpec()));
        var bad = await ArchiveAsync(host, 2, PortraitGenerator.Jpeg(new PortraitSpec { Background = new Rgb(200, 40, 40) }));
        using var app = await host.BuildAsync();
        var stage = ActivatorUtilities.CreateInstance<InspectionStage>(app.Services);

        Assert.Equal(2, await stage.InspectPendingAsync(10, CancellationToken.None));
        Assert.Equal(0, await stage.InspectPendingAsync(10, CancellationToken.None)); // each submission is inspected once

        await using var c = await host.OpenStoreAsync();
        var g = await c.QuerySingleAsync("SELECT state, verdict, evidence_file, decided_by FROM submissions WHERE id = @good", new { good });
        Assert.Equal("awaiting_review", (string)g.state);
        Assert.Equal("accept", (string)g.verdict);
        Assert.Null(g.decided_by);
        Assert.True(File.Exists(Path.Combine(host.DataDirectory, (string)g.evidence_file)));
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM deadlines WHERE submission_id = @good AND kind LIKE 'review_sla%'", new { good }));
        // The studio's 48 hours run from the upload, not from the inspection.
        Assert.Equal("2022-05-08T02:00:00.000Z", await c.ExecuteScalarAsync<string>(
            "SELECT due_at FROM deadlines WHERE submission_id = @good AND kind = 'review_sla_escalation'", new { good }));

        var b = await c.QuerySingleAsync("SELECT state, verdict, reasons_zh, reasons_en, decided_by, resubmit_deadline FROM submissions WHERE id = @bad", new { bad });
        Assert.Equal("rejected", (string)b.state);
        Assert.Equal("reject", (string)b.verdict);
        Assert.Equal("inspection", (string)b.decided_by);
        Assert.Contains("背景颜色", (string)b.reasons_zh);
        Assert.Contains("background colour", (string)b.reasons_en);
        Assert.NotNull((string?)b.resubmit_deadline);
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM deadlines WHERE submission_id = @bad AND kind = 'resubmission' AND state = 'pending'", new { bad }));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM findings WHERE submission_id = @bad AND code = 'BG_COLOR' AND severity = 'reject'", new { bad }));
        Assert.Equal("rejection-notice", await c.ExecuteScalarAsync<string>("SELECT template FROM outbox WHERE idempotency_key = @key", new { key = $"rejected:{bad}:teacher" }));
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE action = 'submission inspected'"));

        var status = await host.RunAsync("status", "--json");
        Assert.Contains("\"awaiting_review\": 1", status.Out);
        Assert.Contains("\"rejected\": 1", status.Out);
    }

    [Fact]
    public async Task Photos_inspected_three_at_a_time_are_each_stored_with_their_own_findings()
    {
        using var host = new TestHost("""{ "Inspection": { "Parallelism": 3 } }""");
        PortraitSpec[] specs =
        [
            new(), new() { Background = new Rgb(200, 40, 40) }, new() { Stripes = 14 }, new() { BlurSigma = 3 },
            new() { Shadow = 0.3 }, new() { Clothing = new Rgb(30, 50, 120) }, new() { HotSpot = true },
        ];
        var students = Enumerable.Range(1, specs.Length).Select(i => TestStudent.Make(i)).ToList();
        Assert.Equal(0, (await host.RunAsync("import-roster", RosterBuilder.Write(host.File("r.xlsx"), students))).Exit);
        var jpegs = specs.Select(s => PortraitGenerator.Jpeg(s)).ToList();
        var ids = new List<long>();
        for (var i = 0; i < specs.Length; i++) ids.Add(await ArchiveAsync(host, i + 1, jpegs[i]));
        using var app = await host.BuildAsync();
        var stage = ActivatorUtilities.CreateInstance<InspectionStage>(app.Services);
        var inspector = app.Services.GetRequiredService<PhotoInspector>();

        Assert.Equal(specs.Length, await stage.InspectPendingAsync(50, CancellationToken.None));

        await using var c = await host.OpenStoreAsync();
        for (var i = 0; i < specs.Length; i++)
        {
            var alone = inspector.Inspect(jpegs[i], "photo.jpg", annotate: false);
            Assert.Equal(alone.Verdict.ToWire(), await c.ExecuteScalarAsync<string>("SELECT verdict FROM submissions WHERE id = @id", new { id = ids[i] }));
            var stored = (await c.QueryAsync<(string, string, string)>(
                "SELECT code, severity, value FROM findings WHERE submission_id = @id ORDER BY id", new { id = ids[i] })).ToList();
            Assert.Equal(alone.Findings.Select(f => (f.Code, f.Severity.ToWire(), f.Value)), stored);
        }
        // Stored in the order of the queue, whichever photo finished first.
        var order = (await c.QueryAsync<long>("SELECT submission_id FROM findings GROUP BY submission_id ORDER BY min(id)")).ToList();
        Assert.Equal(ids.Where(order.Contains), order);
        Assert.True(order.Count >= specs.Length - 1, "nearly every photo has a finding to order by");
    }

    [Fact]
    public async Task A_photo_without_a_face_is_rejected_by_the_face_check_in_the_pipeline()
    {
        using var host = new TestHost();
        using var app = await host.BuildAsync();
        var inspector = app.Services.GetRequiredService<PhotoInspector>();
        using var plain = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(480, 640, new SixLabors.ImageSharp.PixelFormats.Rgb24(100, 197, 255));
        var jpeg = PortraitGenerator.Encode(plain, new PortraitSpec());

        var result = inspector.Inspect(jpeg, "empty.jpg");

        Assert.Contains(result.Findings, f => f.Code == "FACE_NONE" && f.Severity == Severity.Reject);
        Assert.DoesNotContain(inspector.Inspect(PortraitGenerator.Jpeg(new PortraitSpec()), "p.jpg").Findings, f => f.Code.StartsWith("FACE_"));
    }
}
