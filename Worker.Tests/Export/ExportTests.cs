using System.IO.Compression;
using System.Security.Cryptography;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CollectionWorker.Tests.Export;

public class ExportTests
{
    /// <summary>
    /// Students 1-6 in 广东理工职业学院 2020级: 1,2 approved; 3 rejected; 4 expired; 5 awaiting review; 6 nothing.
    /// Student 7 in 南海成人学院 2021级: approved. Student 8 is not eligible (2019级) with an approved photo.
    /// </summary>
    private static async Task<Dictionary<int, byte[]>> CampaignAsync(TestHost host)
    {
        var students = Enumerable.Range(1, 6).Select(i => TestStudent.Make(i)).ToList();
        students.Add(TestStudent.Make(7, "21级成教班", school: "南海成人学院", grade: "2021级"));
        students.Add(TestStudent.Make(8, "19级旧班", grade: "2019级"));
        Assert.Equal(0, (await host.RunAsync("import-roster", RosterBuilder.Write(host.File("roster.xlsx"), students))).Exit);

        var photos = new Dictionary<int, byte[]>();
        foreach (var (i, state) in new[] { (1, "approved"), (2, "approved"), (3, "rejected"), (4, "expired"), (5, "awaiting_review"), (7, "approved"), (8, "approved") })
            photos[i] = await SubmitAsync(host, i, state);
        return photos;
    }

    private static int _seed;

    /// <summary>A real 480x640 colour JPEG (each call a different one) unless <paramref name="photo"/> is given.</summary>
    public static async Task<byte[]> SubmitAsync(TestHost host, int student, string state, byte[]? photo = null)
    {
        var bytes = photo ?? CollectionWorker.Tests.Review.ReviewWorld.Portrait(Interlocked.Increment(ref _seed) * 7 + student);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var archived = Path.Combine(host.DataDirectory, "archive", sha[..2], sha + ".jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(archived)!);
        await File.WriteAllBytesAsync(archived, bytes);
        await using var c = await host.OpenStoreAsync();
        await c.ExecuteAsync(
            """
            INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at, decided_by,
                                     resubmit_deadline, reasons_zh)
            SELECT id, 1 + (SELECT count(*) FROM submissions x WHERE x.student_id = students.id), @sha, 'p.jpg', 30000,
                   '2022-05-06T01:00:00.000Z', 'in_window', @state, '2022-05-07T02:00:00.000Z', '图片社张师傅',
                   CASE @state WHEN 'rejected' THEN '2099-01-01T00:00:00.000Z' WHEN 'expired' THEN '2022-05-09T02:00:00.000Z' END,
                   CASE WHEN @state IN ('rejected', 'expired') THEN '戴眼镜' END
            FROM students WHERE student_number = @number
            """, new { sha, state, number = TestStudent.Make(student).StudentNumber });
        return bytes;
    }

    [Fact]
    public async Task Approved_originals_are_exported_per_cohort_with_a_manifest_and_the_missing_list()
    {
        using var host = new TestHost();
        var photos = await CampaignAsync(host);

        var result = await host.RunAsync("export-approved");

        Assert.True(result.Exit == 0, result.Err);
        var export = Path.Combine(host.DataDirectory, "export");
        var gd = Path.Combine(export, "广东理工职业学院_2020级");
        var files = Directory.GetFiles(gd).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(new[] { TestStudent.Make(1).NationalId + ".jpg", TestStudent.Make(2).NationalId + ".jpg" }.Order().ToArray(), files);
        Assert.Equal(photos[1], await File.ReadAllBytesAsync(Path.Combine(gd, TestStudent.Make(1).NationalId + ".jpg"))); // the original bytes
        Assert.Single(Directory.GetFiles(Path.Combine(export, "南海成人学院_2021级")));
        Assert.DoesNotContain(Directory.GetFiles(export, "*.jpg", SearchOption.AllDirectories), f => f.Contains(TestStudent.Make(8).NationalId));

        using (var zip = ZipFile.OpenRead(Path.Combine(export, "广东理工职业学院_2020级.zip")))
            Assert.Equal(2, zip.Entries.Count);

        var wb = WorkbookView.Open(Path.Combine(export, "manifest.xlsx"));
        var photosSheet = wb.Sheet("照片 Photos");
        Assert.Equal(8, photosSheet.LastRow); // 7 eligible students + header
        var row1 = photosSheet.Find(TestStudent.Make(1).StudentNumber).Row;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(photos[1])), photosSheet.Text(row1, 8));
        Assert.Equal("图片社张师傅", photosSheet.Text(row1, 11));
        Assert.Equal("2022-05-07 10:00 +08:00", photosSheet.Text(row1, 10));
        var missing = wb.Sheet("缺照片 Missing");
        var reasons = Enumerable.Range(2, 4).Select(r => missing.Text(r, 12)).ToList();
        Assert.Contains(reasons, r => r.Contains("rejected"));
        Assert.Contains(reasons, r => r.Contains("expired"));
        Assert.Contains(reasons, r => r.Contains("awaiting review"));
        Assert.Contains(reasons, r => r.Contains("missing"));
        Assert.Equal(5, missing.LastRow);

        var status = await host.RunAsync("status", "--json");
        Assert.Contains("\"cohort\": \"广东理工职业学院 2020级\",\n      \"eligible\": 6,\n      \"approved\": 2,\n      \"exported\": 2,\n      \"still_missing\": 4", status.Out);
    }

    [Fact]
    public async Task Repeating_the_export_changes_nothing_and_adds_a_newly_approved_student()
    {
        using var host = new TestHost();
        await CampaignAsync(host);
        Assert.Equal(0, (await host.RunAsync("export-approved")).Exit);
        var export = Path.Combine(host.DataDirectory, "export");
        var before = Snapshot(export);

        var again = await host.RunAsync("export-approved");
        Assert.Equal(0, again.Exit);
        Assert.Contains("0 added, 2 already exported", again.Err);
        var after = Snapshot(export);
        Assert.Equal(before.Where(kv => !kv.Key.EndsWith(".xlsx")), after.Where(kv => !kv.Key.EndsWith(".xlsx")));

        var sixth = await SubmitAsync(host, 6, "approved");
        var third = await host.RunAsync("export-approved");
        Assert.Contains("1 added, 2 already exported", third.Err);
        Assert.Equal(sixth, await File.ReadAllBytesAsync(Path.Combine(export, "广东理工职业学院_2020级", TestStudent.Make(6).NationalId + ".jpg")));
    }

    [Fact]
    public async Task An_exported_file_that_is_no_longer_the_latest_approved_photo_is_reported_not_replaced()
    {
        using var host = new TestHost();
        var photos = await CampaignAsync(host);
        Assert.Equal(0, (await host.RunAsync("export-approved")).Exit);
        await SubmitAsync(host, 1, "approved"); // a newer approved upload of student 1

        var result = await host.RunAsync("export-approved");

        Assert.Equal(1, result.Exit);
        Assert.Contains("is not the latest approved photo", result.Err);
        var file = Path.Combine(host.DataDirectory, "export", "广东理工职业学院_2020级", TestStudent.Make(1).NationalId + ".jpg");
        Assert.Equal(photos[1], await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task Verify_export_names_missing_extra_and_altered_files()
    {
        using var host = new TestHost();
        await CampaignAsync(host);
        var outDir = host.File("office-copy");
        Assert.Equal(0, (await host.RunAsync("export-approved", "--out", outDir)).Exit);
        var ok = await host.RunAsync("verify-export", outDir);
        Assert.Equal(0, ok.Exit);
        Assert.Contains("OK: 3 files match", ok.Out);

        var gd = Path.Combine(outDir, "广东理工职业学院_2020级");
        var one = Path.Combine(gd, TestStudent.Make(1).NationalId + ".jpg");
        var bytes = await File.ReadAllBytesAsync(one);
        bytes[100] ^= 0xFF;
        await File.WriteAllBytesAsync(one, bytes);
        File.Delete(Path.Combine(gd, TestStudent.Make(2).NationalId + ".jpg"));
        await File.WriteAllBytesAsync(Path.Combine(gd, "stray.jpg"), [1, 2, 3]);

        var bad = await host.RunAsync("verify-export", outDir);

        Assert.Equal(1, bad.Exit);
        Assert.Contains($"altered  广东理工职业学院_2020级{Path.DirectorySeparatorChar}{TestStudent.Make(1).NationalId}.jpg", bad.Out);
        Assert.Contains($"missing  广东理工职业学院_2020级{Path.DirectorySeparatorChar}{TestStudent.Make(2).NationalId}.jpg", bad.Out);
        Assert.Contains("extra    广东理工职业学院_2020级" + Path.DirectorySeparatorChar + "stray.jpg", bad.Out);
        Assert.Equal(1, (await host.RunAsync("verify-export", host.File("nowhere"))).Exit);
    }

    [Fact]
    public async Task Cohort_filter_and_file_name_pattern_are_honoured()
    {
        using var host = new TestHost("""{ "Export": { "FileNamePattern": "{学号}_{姓名}.jpg" } }""");
        await CampaignAsync(host);

        var result = await host.RunAsync("export-approved", "--cohort", "南海成人学院");

        Assert.True(result.Exit == 0, result.Err);
        var export = Path.Combine(host.DataDirectory, "export");
        Assert.False(Directory.Exists(Path.Combine(export, "广东理工职业学院_2020级")));
        var s7 = TestStudent.Make(7);
        Assert.True(File.Exists(Path.Combine(export, "南海成人学院_2021级", $"{s7.StudentNumber}_{s7.Name}.jpg")));
        Assert.Equal(1, (await host.RunAsync("export-approved", "--cohort", "不存在的学院")).Exit);
    }

    [Fact]
    public async Task A_bad_file_name_pattern_is_rejected_at_start()
    {
        using var host = new TestHost("""{ "Export": { "FileNamePattern": "{姓名}.png" } }""");
        var check = await host.RunAsync("check-config");
        Assert.Equal(1, check.Exit);
        Assert.Contains("Export:FileNamePattern", check.Err);
    }

    [Fact]
    public async Task A_photo_that_is_not_a_480x640_colour_JPEG_is_never_exported_whoever_approved_it()
    {
        using var host = new TestHost();
        var photos = await CampaignAsync(host);
        // Approved in the store, as an overturn by an older version did: PNG data, a grayscale JPEG, a 3:4 JPEG of the wrong size.
        await SubmitAsync(host, 2, "approved", HardStandardPhotos.Png());
        await SubmitAsync(host, 6, "approved", HardStandardPhotos.GrayscaleJpeg());
        await SubmitAsync(host, 7, "approved", HardStandardPhotos.SmallJpeg());

        var result = await host.RunAsync("export-approved");

        Assert.Equal(1, result.Exit);
        Assert.Contains("6 eligible, 1 added, 0 already exported, 3 without an approved photo, 2 refused", result.Err);
        Assert.Contains("1 eligible, 0 added, 0 already exported, 0 without an approved photo, 1 refused", result.Err);
        var export = Path.Combine(host.DataDirectory, "export");
        var gd = Path.Combine(export, "广东理工职业学院_2020级");
        Assert.Equal([TestStudent.Make(1).NationalId + ".jpg"], Directory.GetFiles(gd).Select(f => Path.GetFileName(f)).ToArray());
        Assert.Empty(Directory.GetFiles(Path.Combine(export, "南海成人学院_2021级")));
        Assert.Equal(photos[1], await File.ReadAllBytesAsync(Path.Combine(gd, TestStudent.Make(1).NationalId + ".jpg")));
        using (var zip = ZipFile.OpenRead(Path.Combine(export, "广东理工职业学院_2020级.zip")))
            Assert.Single(zip.Entries);

        var missing = WorkbookView.Open(Path.Combine(export, "manifest.xlsx")).Sheet("缺照片 Missing");
        string NoteOf(int student) => missing.Text(missing.Find(TestStudent.Make(student).StudentNumber).Row, 12);
        Assert.Contains("PNG", NoteOf(2));
        Assert.Contains("不符合硬性标准", NoteOf(2));
        Assert.Contains("grayscale", NoteOf(6));
        Assert.Contains("480x640", NoteOf(7));
        Assert.Contains(TestStudent.Make(2).StudentNumber, result.Err);
    }

    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));
}

/// <summary>Real files that break a hard standard of the national record.</summary>
public static class HardStandardPhotos
{
    public static byte[] Png()
    {
        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(CollectionWorker.Tests.Review.ReviewWorld.Portrait(5));
        using var output = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, output);
        return output.ToArray();
    }

    public static byte[] GrayscaleJpeg()
    {
        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(CollectionWorker.Tests.Review.ReviewWorld.Portrait(6));
        using var output = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsJpeg(image, output,
            new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 85, ColorType = SixLabors.ImageSharp.Formats.Jpeg.JpegColorType.Luminance });
        return output.ToArray();
    }

    public static byte[] SmallJpeg()
    {
        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(CollectionWorker.Tests.Review.ReviewWorld.Portrait(7));
        SixLabors.ImageSharp.Processing.ProcessingExtensions.Mutate(image, x => SixLabors.ImageSharp.Processing.ResizeExtensions.Resize(x, 300, 400));
        using var output = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsJpeg(image, output, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 85 });
        return output.ToArray();
    }
}

public class AutoExportTests
{
    [Fact]
    public async Task After_the_window_the_export_runs_once_the_last_resubmission_deadline_is_closed()
    {
        using var test = new TestHost(); // default campaign: the 2022 window is long over
        Assert.Equal(0, (await test.RunAsync("import-roster", RosterBuilder.Write(test.File("r.xlsx"), [TestStudent.Make(1), TestStudent.Make(2)]))).Exit);
        await ExportTests.SubmitAsync(test, 1, "approved");
        await ExportTests.SubmitAsync(test, 2, "rejected");
        using var host = await test.BuildAsync();
        // Deadlines asks (a row in export_requests), the export stage picks the request up.
        var deadlines = host.Services.GetRequiredService<CollectionWorker.Deadlines.DeadlineActions>();
        var auto = host.Services.GetRequiredService<CollectionWorker.Export.AutoExport>();
        var exported = Path.Combine(test.DataDirectory, "export", "广东理工职业学院_2020级");

        await using (var c = await test.OpenStoreAsync())
            await c.ExecuteAsync(
                """
                INSERT INTO deadlines (kind, submission_id, due_at, state, created_at)
                SELECT 'resubmission', id, '2099-01-01T00:00:00.000Z', 'pending', '2022-05-07T00:00:00.000Z' FROM submissions WHERE state = 'rejected'
                """);
        Assert.False(await deadlines.RequestExportIfLastAsync(CancellationToken.None));
        Assert.Equal(0, await auto.RunPendingAsync(CancellationToken.None));
        Assert.False(Directory.Exists(exported)); // a resubmission is still possible: not yet

        await using (var c = await test.OpenStoreAsync())
            await c.ExecuteAsync("UPDATE deadlines SET state = 'done'");
        Assert.True(await deadlines.RequestExportIfLastAsync(CancellationToken.None));
        Assert.Equal(1, await auto.RunPendingAsync(CancellationToken.None));
        Assert.Single(Directory.GetFiles(exported));
        await using (var c = await test.OpenStoreAsync())
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM export_requests WHERE done_at IS NULL")); // the request is closed
        Assert.Equal(0, await auto.RunPendingAsync(CancellationToken.None));
    }
}

public class HardStandardsTests
{
    private static CollectionWorker.Inspection.HardStandards With(params (string Code, string Severity)[] policy)
    {
        var options = new CollectionWorker.Inspection.InspectionOptions();
        foreach (var (code, severity) in policy) options.Severity[code] = severity;
        return new CollectionWorker.Inspection.HardStandards(Microsoft.Extensions.Options.Options.Create(options),
            CollectionWorker.Inspection.PhotoInspector.BuiltInChecks(), Microsoft.Extensions.Logging.Abstractions.NullLogger<CollectionWorker.Inspection.HardStandards>.Instance);
    }

    [Fact]
    public void The_policy_cannot_loosen_the_core_standards_but_rules_the_other_file_codes()
    {
        var loose = With(("FILE_SIZE", "off"), ("FILE_NOT_JPEG", "review"), ("FILE_COLOR", "info"), ("FILE_QUALITY", "review"), ("BG_COLOR", "reject"));
        Assert.Equal("FILE_SIZE", Assert.Single(loose.Check(HardStandardPhotos.SmallJpeg(), "small.jpg")).Code);
        Assert.Equal("FILE_NOT_JPEG", Assert.Single(loose.Check(HardStandardPhotos.Png(), "png.jpg")).Code);
        Assert.Equal("FILE_COLOR", Assert.Single(loose.Check(HardStandardPhotos.GrayscaleJpeg(), "gray.jpg")).Code);
        var lowQuality = PortraitGenerator.Jpeg(new PortraitSpec { Quality = 40 });
        Assert.Empty(loose.Check(lowQuality, "q40.jpg")); // quality follows the policy
        Assert.Equal("FILE_QUALITY", Assert.Single(With().Check(lowQuality, "q40.jpg")).Code);
        // A judgement call never counts, even when the policy rejects on it.
        Assert.Empty(loose.Check(PortraitGenerator.Jpeg(new PortraitSpec { Background = new CollectionWorker.Inspection.Rgb(200, 40, 40) }), "red.jpg"));
    }
}
