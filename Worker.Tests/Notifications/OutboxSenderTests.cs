using CollectionWorker.Notifications;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static CollectionWorker.Tests.Notifications.NotificationTestData;

namespace CollectionWorker.Tests.Notifications;

public class OutboxSenderTests
{
    private static OutboxMessage Digest(string teacher, string name) =>
        new($"digest:{teacher}:2022-05-06", "teacher-digest", teacher, name, new { date = "2022-05-06" });

    private static WorkbookView Workbook(MimeMessage message)
    {
        var part = message.Attachments.OfType<MimePart>().Single(a => a.FileName.EndsWith(".xlsx"));
        using var stream = new MemoryStream();
        part.Content.DecodeTo(stream);
        return WorkbookView.Open(stream.ToArray());
    }

    [Fact]
    public async Task A_digest_reaches_the_smtp_server_with_only_the_teachers_own_classes_and_a_workbook()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        using var test = new TestHost(SmtpConfig(smtp.Port));
        await ImportAsync(test);
        await SubmitAsync(test, "2020000001", SubmissionState.Approved);
        await SubmitAsync(test, "2020000002", SubmissionState.Rejected, "背景有阴影", DateTimeOffset.UtcNow.AddHours(30));
        await SubmitAsync(test, "2020000009", SubmissionState.Approved); // teacher B's student
        using var host = await test.BuildAsync();
        await EnqueueAsync(host, Digest(TeacherA, "王老师"), Digest(TeacherB, "李老师"));

        await Sender(host).SendDueAsync(CancellationToken.None);

        Assert.Equal(2, smtp.Messages.Count);
        var a = smtp.Messages.Single(m => m.To.Mailboxes.Single().Address == TeacherA);
        Assert.Contains("已通过 1/8", a.Subject);
        var installation = await host.Services.GetRequiredService<InstallationIdentity>().IdAsync();
        Assert.Equal(Outbox.MessageIdFor($"digest:{TeacherA}:2022-05-06", installation, new SmtpOptions().From), a.MessageId);
        Assert.EndsWith("@localhost", a.MessageId); // the default Smtp:From's domain
        Assert.Contains("20级计算机1班", a.HtmlBody);
        Assert.Contains("背景有阴影", a.HtmlBody);
        Assert.DoesNotContain("20级会计1班", a.HtmlBody);
        Assert.Contains("王伟 老师：您好", a.HtmlBody); // Chinese stays readable in the HTML source, not &#x...; escapes
        Assert.Contains("王伟 老师", a.TextBody);

        var wb = Workbook(a);
        // The corrections sheet right after the summary, its very hidden identity sheet last (docs/corrections.md).
        Assert.Equal(["汇总 Summary", "信息核对 Check details", "20级计算机1班", "20级计算机2班", "_correction_identity"], wb.SheetNames.ToArray());
        var summary = wb.Sheet(1);
        Assert.Equal("20级计算机1班", summary.Text(4, 1));
        Assert.Equal(4, summary.Cell(4, 2).Int);
        var class1 = wb.Sheet("20级计算机1班");
        Assert.Equal("2020000002", class1.Text(2, 1)); // the rejected student is at the top
        Assert.Contains("未通过", class1.Text(2, 3));
        Assert.Equal("背景有阴影", class1.Text(2, 5));
        Assert.Matches(@"^\d{6}\*{8}\d{3}[\dX]$", class1.Text(2, 9)); // ID numbers masked
        Assert.Equal(1, class1.FrozenRows);

        var wbB = Workbook(smtp.Messages.Single(m => m.To.Mailboxes.Single().Address == TeacherB));
        Assert.Equal(["汇总 Summary", "信息核对 Check details", "20级会计1班", "_correction_identity"], wbB.SheetNames.ToArray());

        await using var c = await test.OpenStoreAsync();
        Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE state = 'sent' AND attempts = 1"));

        // Sending again sends nothing: the outbox is the record.
        await Sender(host).SendDueAsync(CancellationToken.None);
        Assert.Equal(2, smtp.Messages.Count);
    }

    [Fact]
    public async Task A_formula_like_name_stays_text_in_the_teachers_workbook()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        using var test = new TestHost(SmtpConfig(smtp.Port));
        const string evil = "=HYPERLINK(\"http://evil.example\",\"点我\")";
        await ImportAsync(test, edit: s => s.StudentNumber == "2020000001" ? s with { Name = evil } : s);
        using var host = await test.BuildAsync();
        await EnqueueAsync(host, Digest(TeacherA, "王老师"));

        await Sender(host).SendDueAsync(CancellationToken.None);

        var wb = Workbook(smtp.Messages.Single());
        var cell = wb.Sheet("20级计算机1班").Find(evil);
        Assert.False(cell.HasFormula);
        Assert.Equal(CellKind.Text, cell.Kind);
        Assert.True(cell.Style.QuotePrefix);
    }

    [Fact]
    public async Task When_the_smtp_server_is_down_messages_wait_and_are_delivered_once_when_it_is_up()
    {
        var port = TestSmtpServer.FreePort();
        using var test = new TestHost(SmtpConfig(port));
        await ImportAsync(test);
        using var host = await test.BuildAsync();
        await EnqueueAsync(host, Digest(TeacherA, "王老师"), Digest(TeacherB, "李老师"));

        await Sender(host).SendDueAsync(CancellationToken.None); // connection refused
        await using (var c = await test.OpenStoreAsync())
        {
            Assert.Equal(2, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE state = 'pending'"));
            Assert.Contains("refused", await c.ExecuteScalarAsync<string>("SELECT last_error FROM outbox WHERE attempts = 1"), StringComparison.OrdinalIgnoreCase);
        }

        await using var smtp = await TestSmtpServer.StartAsync(port);
        for (var i = 0; i < 50 && smtp.Messages.Count < 2; i++)
        {
            await Task.Delay(60);
            await Sender(host).SendDueAsync(CancellationToken.None);
        }
        Assert.Equal(2, smtp.Messages.Count);
        Assert.Equal(2, smtp.Messages.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task With_the_server_unreachable_a_round_makes_one_connection_attempt_not_one_per_waiting_message()
    {
        // A listener that accepts and hangs up at once: the SMTP greeting never comes, like a server that is down,
        // and every connection attempt is counted.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var attempts = 0;
        using var stop = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = await listener.AcceptSocketAsync(stop.Token);
                Interlocked.Increment(ref attempts);
            }
        });
        using var test = new TestHost(SmtpConfig(((System.Net.IPEndPoint)listener.LocalEndpoint).Port));
        await ImportAsync(test);
        using var host = await test.BuildAsync();
        await EnqueueAsync(host, Enumerable.Range(1, 300)
            .Select(i => new OutboxMessage($"digest:{TeacherA}:{i}", "teacher-digest", TeacherA, "王老师", new { date = "2022-05-06" }))
            .ToArray());

        await Sender(host).SendRoundAsync(CancellationToken.None);

        Assert.Equal(1, Volatile.Read(ref attempts));
        await using var c = await test.OpenStoreAsync();
        Assert.Equal(300, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE state = 'pending'"));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE attempts = 1"));
        stop.Cancel();
        listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => acceptLoop);
    }

    [Fact]
    public async Task A_refused_recipient_is_marked_failed_and_listed_in_the_admin_report()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        using var test = new TestHost(SmtpConfig(smtp.Port));
        await ImportAsync(test);
        using var host = await test.BuildAsync();
        await EnqueueAsync(host, Digest("refuse-me@example.edu.cn", "无此人"), Digest(TeacherA, "王老师"));

        await Sender(host).SendDueAsync(CancellationToken.None);

        Assert.Single(smtp.Messages);
        await using (var c = await test.OpenStoreAsync())
            Assert.StartsWith("5", await c.ExecuteScalarAsync<string>("SELECT last_error FROM outbox WHERE state = 'failed'"));

        await EnqueueAsync(host, new OutboxMessage("admin-report:1", "admin-report", "jwc@example.edu.cn", "教务处", new { }));
        await Sender(host).SendDueAsync(CancellationToken.None);
        var wb = Workbook(smtp.Messages.Last());
        var failed = wb.Sheet("发送失败 Failed e-mails");
        Assert.Equal("refuse-me@example.edu.cn", failed.Text(2, 1));
        Assert.Equal(12, wb.Sheet("进度 Progress").Cell(7, 4).Int); // the total row: 3 classes of 4
    }

    [Fact]
    public async Task Without_smtp_messages_become_eml_files_with_crlf_and_a_resend_replaces_the_same_file()
    {
        using var test = new TestHost();
        await ImportAsync(test);
        using var host = await test.BuildAsync();
        await EnqueueAsync(host, Digest(TeacherA, "王老师"));

        await Sender(host).SendDueAsync(CancellationToken.None);

        var mail = Path.Combine(test.DataDirectory, "mail");
        var file = Assert.Single(Directory.GetFiles(mail, "*.eml"));
        var bytes = await File.ReadAllBytesAsync(file);
        Assert.DoesNotContain(bytes.Select((b, i) => (b, i)), x => x.b == '\n' && (x.i == 0 || bytes[x.i - 1] != '\r'));
        var message = await MimeMessage.LoadAsync(file);
        Assert.Equal(TeacherA, message.To.Mailboxes.Single().Address);
        Assert.Empty(Directory.GetFiles(mail, ".*.tmp"));

        // A crash after writing but before recording 'sent' means the message goes again: same file, not a second one.
        await using (var c = await test.OpenStoreAsync())
            await c.ExecuteAsync("UPDATE outbox SET state = 'sending'");
        await Sender(host).SendDueAsync(CancellationToken.None);
        Assert.Single(Directory.GetFiles(mail, "*.eml"));
    }
}
