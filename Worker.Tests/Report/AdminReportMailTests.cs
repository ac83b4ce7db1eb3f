using CollectionWorker.Store;
using System.Text;
using CollectionWorker.Notifications;
using CollectionWorker.Tests.Support;
using MimeKit;
using static CollectionWorker.Tests.Notifications.NotificationTestData;

namespace CollectionWorker.Tests.Report;

/// <summary>The admin's campaign report e-mail carries the HTML page beside the workbook.</summary>
public class AdminReportMailTests
{
    [Fact]
    public async Task The_admin_report_reaches_the_smtp_server_with_the_workbook_and_the_html_page()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        using var test = new TestHost(SmtpConfig(smtp.Port));
        await ImportAsync(test);
        using var host = await test.BuildAsync();
        await EnqueueAsync(host, new OutboxMessage("window-close:admin:jwc@example.edu.cn:2022-05-12", "admin-report", "jwc@example.edu.cn", "教务处", new { }));

        await Sender(host).SendDueAsync(CancellationToken.None);

        var message = Assert.Single(smtp.Messages);
        var attachments = message.Attachments.OfType<MimePart>().ToList();
        Assert.Equal(2, attachments.Count);
        Assert.EndsWith(".xlsx", attachments[0].FileName);
        var html = attachments[1];
        Assert.StartsWith("采集报告-", html.FileName);
        Assert.EndsWith(".html", html.FileName);
        Assert.Equal("text/html", html.ContentType.MimeType);
        using var content = new MemoryStream();
        await html.Content.DecodeToAsync(content);
        var page = Encoding.UTF8.GetString(content.ToArray());
        Assert.StartsWith("<!DOCTYPE html>", page);
        foreach (var cls in new[] { "20级计算机1班", "20级计算机2班", "20级会计1班" })
            Assert.Contains($"<tr data-name=\"{cls}\">", page);
    }
}

/// <summary>The service's admin-report schedule (the window-close milestone) also writes the page into report/.</summary>
public class ScheduledReportTests
{
    [Fact]
    public async Task At_window_close_the_service_writes_the_html_report_into_the_report_folder()
    {
        await using var world = await CollectionWorker.Tests.Deadlines.DeadlineWorld.CreateAsync(DateTimeOffset.Parse("2022-05-11T23:00:00+08:00"));
        await world.StartAsync();
        var folder = Path.Combine(world.Host.DataDirectory, "report");
        world.AdvanceTo(DateTimeOffset.Parse("2022-05-11T23:59:00+08:00"));
        await CollectionWorker.Tests.Deadlines.DeadlineWorld.SettleAsync();
        Assert.False(Directory.Exists(folder) && Directory.GetFiles(folder).Length > 0, "a report before the window closed");

        world.AdvanceTo(DateTimeOffset.Parse("2022-05-12T00:00:00+08:00"));
        await CollectionWorker.Tests.Deadlines.DeadlineWorld.EventuallyAsync(
            () => Task.FromResult(Directory.Exists(folder) && Directory.GetFiles(folder, "*.html").Length == 1), "the report in report/");
        var page = await File.ReadAllTextAsync(Directory.GetFiles(folder, "*.html").Single());
        Assert.Equal("采集报告-20220512-0000.html", Path.GetFileName(Directory.GetFiles(folder, "*.html").Single()));
        Assert.Contains("<tr data-name=\"20级会计1班\">", page);
        Assert.Empty(Directory.GetFiles(folder, "*.partial"));
    }
}
