using System.Security.Cryptography;
using CollectionWorker.Deadlines;
using CollectionWorker.Host.Demo;
using CollectionWorker.Inspection;
using CollectionWorker.Review;
using CollectionWorker.Store;
using CollectionWorker.Tests.Review;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using SixLabors.ImageSharp;
using static CollectionWorker.Tests.Notifications.NotificationTestData;

namespace CollectionWorker.Tests.Notifications;

/// <summary>
/// Students told directly (issue 16): where the roster has a student's address, the ledger queues a
/// receipt, the rejection (reasons, the small annotated photo, the deadline written out in campaign
/// time), the approval (also when the studio overturns an automatic rejection) and the expiry, in the
/// transition's transaction; they go through the same outbox as every other e-mail.
/// </summary>
public class StudentMailTests
{
    // 14:30 in Beijing on 7 May 2022; the 48 hours to upload again end at 14:30 on 9 May.
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2022-05-07T14:30:00+08:00");
    private static string Address(int i) => $"student{i}@stu.example.edu.cn";

    private static TestStudent Student(int i, bool withAddress) =>
        TestStudent.Make(i, email: TeacherA) with { StudentEmail = withAddress ? Address(i) : "", Phone = "13800138000" };

    /// <summary>Student 1 with an address of their own, student 2 with or without; the others as they were.</summary>
    private static Func<TestStudent, TestStudent> FirstTwo(bool secondHasAddress) => s =>
        s.StudentNumber == TestStudent.Make(1).StudentNumber ? Student(1, true)
        : s.StudentNumber == TestStudent.Make(2).StudentNumber ? Student(2, secondHasAddress) : s;

    /// <summary>An upload received through the ledger (as intake records it), its bytes in the archive.</summary>
    private static async Task<long> ReceiveAsync(IHost host, int student, byte[] jpeg, DateTimeOffset receivedAt)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(jpeg));
        var paths = host.Services.GetRequiredService<DataPaths>();
        Directory.CreateDirectory(Path.GetDirectoryName(paths.ArchiveFileFor(sha))!);
        await File.WriteAllBytesAsync(paths.ArchiveFileFor(sha), jpeg);
        await using var c = await host.Services.GetRequiredService<Database>().OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var studentId = await c.ExecuteScalarAsync<long>("SELECT id FROM students WHERE student_number = @n", new { n = TestStudent.Make(student).StudentNumber }, tx);
        var received = await host.Services.GetRequiredService<SubmissionLedger>().ReceiveAsync(c, tx,
            new NewSubmission(studentId, sha, $"{TestStudent.Make(student).StudentNumber}.jpg", jpeg.Length, receivedAt, "in_window", SubmissionState.AwaitingInspection),
            "intake");
        await tx.CommitAsync();
        return received.Id;
    }

    private static MimeMessage To(TestSmtpServer smtp, string address, string template) =>
        Assert.Single(smtp.Messages, m => m.To.Mailboxes.Single().Address == address && m.Headers["X-CollectionWorker-Template"] == template);

    [Fact]
    public async Task A_rejected_student_gets_the_reasons_the_small_annotated_photo_and_the_deadline_in_Beijing_time_exactly_once()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        using var test = new TestHost(SmtpConfig(smtp.Port));
        await ImportAsync(test, edit: FirstTwo(secondHasAddress: false));
        var clock = new FakeTimeProvider(Now);
        using var host = await test.BuildAsync(clock);

        var bad = await ReceiveAsync(host, 1, PortraitGenerator.Jpeg(new PortraitSpec { Background = new Rgb(200, 40, 40) }), Now.AddMinutes(-5));
        await ReceiveAsync(host, 2, PortraitGenerator.Jpeg(new PortraitSpec { Background = new Rgb(200, 40, 40), Seed = 2 }), Now.AddMinutes(-5));
        var inspection = ActivatorUtilities.CreateInstance<InspectionStage>(host.Services);
        Assert.Equal(2, await inspection.InspectPendingAsync(10, CancellationToken.None));
        await Sender(host).SendDueAsync(CancellationToken.None);

        // Student 1 has an address: a receipt, then the rejection. Student 2 has none: nothing to a student.
        Assert.Equal(2, smtp.Messages.Count(m => m.To.Mailboxes.Single().Address.EndsWith("@stu.example.edu.cn")));
        var receipt = To(smtp, Address(1), "student-receipt");
        Assert.Contains("已收到你的照片", receipt.Subject);
        Assert.Contains("2022年5月7日 14:25（北京时间）", receipt.HtmlBody);

        var rejected = To(smtp, Address(1), "student-rejected");
        Assert.Equal(TestStudent.Make(1).Name, rejected.To.Mailboxes.Single().Name);
        Assert.Contains("请在 2022年5月9日 14:30（北京时间） 前重新上传", rejected.Subject);
        Assert.Contains("9 May 2022, 14:30 Beijing time (UTC+08:00)", rejected.Subject);
        Assert.Contains("<b style=\"color:#C00000\">2022年5月9日 14:30（北京时间）</b>", rejected.HtmlBody);
        Assert.Contains("2022年5月9日 14:30（北京时间）", rejected.TextBody);
        Assert.Contains("<li>背景颜色不符合要求", rejected.HtmlBody);
        Assert.Contains("background colour", rejected.HtmlBody);
        Assert.DoesNotContain(TestStudent.Make(1).NationalId, rejected.HtmlBody + rejected.TextBody);

        // The annotated photo, small, shown in the body.
        Assert.Contains("src=\"cid:annotated-photo\"", rejected.HtmlBody);
        var photo = rejected.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "image/jpeg");
        Assert.Equal("annotated-photo", photo.ContentId);
        Assert.Equal($"批注照片-annotated-{TestStudent.Make(1).StudentNumber}.jpg", photo.FileName);
        using var bytes = new MemoryStream();
        photo.Content.DecodeTo(bytes);
        Assert.InRange(bytes.Length, 2_000, 40_000);
        using (var image = Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(bytes.ToArray()))
        {
            Assert.Equal((240, 320), (image.Width, image.Height));
            // The red frame of a rejected photo survives the reduction.
            var corner = image[3, 160];
            Assert.True(corner.R > 180 && corner.G < 80 && corner.B < 80, $"frame pixel {corner}");
        }

        // The teacher is told as before, of both.
        Assert.Equal(2, smtp.Messages.Count(m => m.To.Mailboxes.Single().Address == TeacherA && m.Headers["X-CollectionWorker-Template"] == "rejection-notice"));

        // Exactly once: the same transition cannot be asked for again, and sending again sends nothing.
        await Sender(host).SendDueAsync(CancellationToken.None);
        var before = smtp.Messages.Count;
        await using (var c = await host.Services.GetRequiredService<Database>().OpenAsync())
        await using (var tx = await c.BeginTransactionAsync())
            await Assert.ThrowsAsync<SubmissionTransitionRefusedException>(() => host.Services.GetRequiredService<SubmissionLedger>().ApplyAsync(c, tx, bad,
                new SubmissionEvent.Inspected("inspection", "reject", true, "x", "x", null)));
        await Sender(host).SendDueAsync(CancellationToken.None);
        Assert.Equal(before, smtp.Messages.Count);
        await using var db = await test.OpenStoreAsync();
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE idempotency_key = @k", new { k = $"student-rejected:{bad}:student" }));
    }

    [Fact]
    public async Task An_approved_student_is_told_and_one_whose_deadline_passed_is_told_it_expired()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        using var test = new TestHost(SmtpConfig(smtp.Port));
        await ImportAsync(test, edit: FirstTwo(secondHasAddress: true));
        var clock = new FakeTimeProvider(Now);
        using var host = await test.BuildAsync(clock);
        var good = await ReceiveAsync(host, 1, PortraitGenerator.Jpeg(new PortraitSpec()), Now.AddMinutes(-5));
        var bad = await ReceiveAsync(host, 2, PortraitGenerator.Jpeg(new PortraitSpec { Background = new Rgb(200, 40, 40) }), Now.AddMinutes(-5));
        await ActivatorUtilities.CreateInstance<InspectionStage>(host.Services).InspectPendingAsync(10, CancellationToken.None);

        // The studio approves student 1's photo.
        var ledger = host.Services.GetRequiredService<SubmissionLedger>();
        await using (var c = await host.Services.GetRequiredService<Database>().OpenAsync())
        {
            await using var tx = await c.BeginTransactionAsync();
            await ledger.ApplyAsync(c, tx, good, new SubmissionEvent.Decided("张师傅", Approves: true));
            await tx.CommitAsync();
        }
        // Student 2 does not upload again: the deadline passes.
        clock.Advance(TimeSpan.FromHours(49));
        long deadlineId;
        await using (var c = await test.OpenStoreAsync())
            deadlineId = await c.ExecuteScalarAsync<long>("SELECT id FROM deadlines WHERE submission_id = @bad AND kind = 'resubmission'", new { bad });
        Assert.Equal("expired", await host.Services.GetRequiredService<DeadlineActions>().RunAsync(deadlineId, CancellationToken.None));
        await Sender(host).SendDueAsync(CancellationToken.None);

        var approved = To(smtp, Address(1), "student-approved");
        Assert.Contains("已审核通过", approved.Subject);
        Assert.Contains("已审核通过", approved.HtmlBody);
        Assert.DoesNotContain("改判", approved.HtmlBody);
        var expired = To(smtp, Address(2), "student-expired");
        Assert.Contains("视为没拍", expired.Subject);
        Assert.Contains("2022年5月9日 14:30（北京时间）", expired.HtmlBody);
        Assert.Contains("9 May 2022, 14:30 Beijing time", expired.HtmlBody);
        Assert.DoesNotContain(smtp.Messages, m => m.To.Mailboxes.Single().Address == Address(2) && m.Headers["X-CollectionWorker-Template"] == "student-approved");
    }

    [Fact]
    public async Task The_studio_overturning_an_automatic_rejection_tells_the_student_the_photo_is_approved()
    {
        using var world = await ReviewWorld.CreateAsync(students: 3, edit: s => s with { StudentEmail = $"s{s.StudentNumber}@stu.example.edu.cn" });
        var (rejectedId, _) = await world.SubmitAsync(2, "rejected");
        var sheet = await world.ExportAsync();
        var filled = world.Fill(sheet, "filled.xlsx", "张师傅", (ReviewSheetLayout.AutoRejectedSheet, 2, "通过", "", "背景其实合格"));

        var result = await world.Host.RunAsync("import-review", filled);
        Assert.True(result.Exit == 0, result.Err);
        await Sender(world.Services).SendDueAsync(CancellationToken.None);

        var address = $"s{ReviewWorld.Number(2)}@stu.example.edu.cn";
        var mails = Directory.GetFiles(Path.Combine(world.Host.DataDirectory, "mail"), "*.eml").Select(f => MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Single().Address == address).ToList();
        var approved = Assert.Single(mails);
        Assert.Equal("student-approved", approved.Headers["X-CollectionWorker-Template"]);
        Assert.Equal($"student-approved:{rejectedId}:student", approved.Headers["X-CollectionWorker-Key"]);
        Assert.Contains("已改判为通过", approved.HtmlBody);
        Assert.Contains("无需重新上传", approved.HtmlBody);
        Assert.Contains("approved it", approved.TextBody);
        // The admin's answer to "was the student told?": the student's own e-mail is in their history.
        var history = await world.Host.RunAsync("history", ReviewWorld.Number(2));
        Assert.Contains($"邮件「student-approved」→ {address}", history.Out);
    }

    [Fact]
    public async Task Preview_mail_renders_a_students_rejection_from_the_store_with_the_photo_and_check_config_checks_the_student_templates()
    {
        using var test = new TestHost();
        await ImportAsync(test, edit: s => s.StudentNumber == TestStudent.Make(1).StudentNumber ? Student(1, true) : s);
        var clock = new FakeTimeProvider(Now);
        using (var host = await test.BuildAsync(clock))
        {
            await ReceiveAsync(host, 1, PortraitGenerator.Jpeg(new PortraitSpec { Background = new Rgb(200, 40, 40) }), Now);
            await ActivatorUtilities.CreateInstance<InspectionStage>(host.Services).InspectPendingAsync(10, CancellationToken.None);
        }

        var preview = await test.RunAsync("preview-mail", "student-rejected", "--student", TestStudent.Make(1).StudentNumber);
        Assert.True(preview.Exit == 0, preview.Err);
        var eml = preview.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        var message = await MimeMessage.LoadAsync(eml);
        Assert.Equal(Address(1), message.To.Mailboxes.Single().Address);
        Assert.Contains("2022年5月9日 14:30（北京时间）", message.Subject);
        Assert.Contains(message.BodyParts.OfType<MimePart>(), p => p.ContentId == "annotated-photo");

        var noUpload = await test.RunAsync("preview-mail", "student-rejected", "--student", TestStudent.Make(3).StudentNumber);
        Assert.Equal(1, noUpload.Exit);
        Assert.Contains("has not uploaded a photo yet", noUpload.Err);
        Assert.Equal(1, (await test.RunAsync("preview-mail", "teacher-digest", "--student", TestStudent.Make(1).StudentNumber)).Exit);

        var sample = await test.RunAsync("preview-mail", "student-approved");
        Assert.True(sample.Exit == 0, sample.Err);

        // A misspelt variable in a student template stops check-config, naming the file.
        var file = Path.Combine(test.TemplatesDirectory, "student-rejected.liquid");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("deadline.zh", "deadline.zhh"));
        var check = await test.RunAsync("check-config");
        Assert.Equal(1, check.Exit);
        Assert.Contains("student-rejected.liquid", check.Err);
        Assert.Contains("deadline.zhh", check.Err);
    }

    [Fact]
    public async Task Student_mails_are_delivered_exactly_once_across_a_SIGKILL_of_the_service()
    {
        if (OperatingSystem.IsWindows()) return; // the child process is killed with a POSIX signal
        await using var smtp = await TestSmtpServer.StartAsync();
        // Inspection off: the receipts are the mails under test, and nothing else is queued meanwhile.
        using var test = new TestHost($$"""
            { "Smtp": { "Host": "127.0.0.1", "Port": {{smtp.Port}}, "Security": "None" }, "Storage": { "ClaimTimeout": "00:00:05" },
              "Notifications": { "RetryDelay": "00:00:00.05", "SendEvery": "00:00:00.1" }, "Inspection": { "Enabled": false } }
            """);
        const int count = 60;
        await ImportAsync(test, perClass: count / 3, edit: s => s with { StudentEmail = $"s{s.StudentNumber}@stu.example.edu.cn" });
        var ids = new List<long>();
        using (var host = await test.BuildAsync())
            for (var i = 1; i <= count; i++)
                ids.Add(await ReceiveAsync(host, i, FakeBytes(i), DateTimeOffset.UtcNow));

        int Students() => smtp.Messages.Count(m => m.Headers["X-CollectionWorker-Template"] == "student-receipt");
        var (deliveredAtKills, inFlightAtKill) = await SenderKills.RunAsync(test, Students, count,
            "SELECT count(*) FROM outbox WHERE template = 'student-receipt' AND state = 'sent'", seed: 20220507, kills: 4, maxPauseMs: 200);

        Assert.Contains(deliveredAtKills, n => n > 0 && n < count); // at least one kill fell mid-batch
        var receipts = smtp.Messages.Where(m => m.Headers["X-CollectionWorker-Template"] == "student-receipt").ToList();
        var byKey = receipts.GroupBy(m => m.Headers["X-CollectionWorker-Key"] ?? "").ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(ids.Select(id => $"student-receipt:{id}:student").Order(), byKey.Keys.Order());
        // A second copy can only be the one whose send a kill interrupted, with the same Message-Id.
        Assert.All(byKey.Values.Where(v => v.Count > 1), v =>
        {
            Assert.Single(v.Select(m => m.MessageId).Distinct());
            Assert.Contains(v[0].MessageId ?? "", inFlightAtKill);
        });
        Assert.All(byKey.Values, v => Assert.True(v.Count <= 2));
        // Each went to its own student.
        Assert.All(receipts, m => Assert.StartsWith("s2020", m.To.Mailboxes.Single().Address));
    }

    private static byte[] FakeBytes(int seed)
    {
        var bytes = new byte[2000];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
