using CollectionWorker.Sheets;
using System.Text;
using CollectionWorker.Campaign;
using CollectionWorker.Notifications;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using static CollectionWorker.Tests.Notifications.NotificationTestData;

namespace CollectionWorker.Tests.Notifications;

/// <summary>#19 item 7: what a mail program shows — subjects, the plain-text part, encodings, file names, Message-Ids, deadlines.</summary>
public class MailFormatTests
{
    private const string From = """{ "Smtp": { "From": "教务处 <jwc@College.edu.cn>" } }""";

    /// <summary>Sends the messages through the outbox into .eml files and loads them back, by file name.</summary>
    private static async Task<Dictionary<string, (MimeMessage Message, byte[] Raw)>> SendAsync(TestHost test, params OutboxMessage[] messages)
    {
        using var host = await test.BuildAsync();
        await EnqueueAsync(host, messages);
        await Sender(host).SendDueAsync(CancellationToken.None);
        var mail = Path.Combine(test.DataDirectory, "mail");
        var result = new Dictionary<string, (MimeMessage, byte[])>();
        foreach (var file in Directory.GetFiles(mail, "*.eml"))
            result[Path.GetFileName(file)] = (await MimeMessage.LoadAsync(file), await File.ReadAllBytesAsync(file));
        return result;
    }

    [Fact]
    public async Task Subjects_are_plain_text_bodies_are_base64_and_files_say_date_template_and_recipient()
    {
        using var test = new TestHost(From);
        await ImportAsync(test);
        var sent = await SendAsync(test,
            new OutboxMessage($"final:{TeacherA}", "final-reminder", TeacherA, "王伟", new { }),
            new OutboxMessage($"open:{TeacherA}", "window-open", TeacherA, "王伟", new { }));
        using var host = await test.BuildAsync();
        var clock = host.Services.GetRequiredService<CampaignClock>();
        var end = clock.Format(host.Services.GetRequiredService<IOptions<CampaignOptions>>().Value.UploadEnd);

        Assert.Equal(2, sent.Count);
        var (name, (final, raw)) = sent.Single(kv => kv.Key.Contains("final-reminder"));
        // A plain header: "+08:00" as it is, never "&#x2B;08:00".
        Assert.Equal($"【毕业生图像采集】最后提醒：上传将于 {end} 截止", final.Subject);
        Assert.Contains("+08:00", final.Subject);
        // Named for people: queued time (campaign time), template, recipient, the Message-Id's start.
        Assert.Matches(@"^\d{8}-\d{4}_final-reminder_wang@example\.edu\.cn_[0-9a-f]{8}\.eml$", name);
        // No raw 8-bit bytes: every part is base64, headers RFC 2047-encoded.
        Assert.All(raw, b => Assert.True(b < 0x80, "raw 8-bit byte in the .eml"));
        Assert.All(final.BodyParts.OfType<MimePart>(), p => Assert.Equal(ContentEncoding.Base64, p.ContentTransferEncoding));
        Assert.Contains("Content-Transfer-Encoding: base64", Encoding.ASCII.GetString(raw));

        // The deadline is the exact moment, not "the end of" a day.
        var open = sent.Single(kv => kv.Key.Contains("window-open")).Value.Message;
        Assert.Contains($"截止 {end}", open.Subject);
        Assert.Contains(end, open.TextBody);
        Assert.DoesNotContain("until the end of", open.TextBody);
    }

    [Fact]
    public async Task A_name_with_html_characters_stays_as_typed_in_the_subject_and_encoded_in_the_html()
    {
        using var test = new TestHost(From);
        await ImportAsync(test, edit: s => s.StudentNumber == "2020000002" ? s with { Name = "A&B <i>" } : s);
        var id = await SubmitAsync(test, "2020000002", SubmissionState.Rejected, "背景有阴影", DateTimeOffset.UtcNow.AddHours(30));
        var sent = await SendAsync(test, new OutboxMessage($"rejected:{id}:teacher", "rejection-notice", TeacherA, "王伟", new { SubmissionId = id }));
        var message = sent.Values.Single().Message;

        Assert.Contains("A&B <i>（2020000002）", message.Subject);
        Assert.Contains("A&amp;B &lt;i&gt;", message.HtmlBody);
        Assert.Contains("A&B <i>", message.TextBody);
    }

    [Fact]
    public async Task The_plain_text_part_lists_the_rows_of_wide_tables_instead_of_running_cells_together()
    {
        using var test = new TestHost(From);
        await ImportAsync(test);
        await SubmitAsync(test, "2020000001", SubmissionState.Approved);
        await SubmitAsync(test, "2020000002", SubmissionState.Rejected, "背景有阴影", DateTimeOffset.UtcNow.AddHours(30));
        var sent = await SendAsync(test, new OutboxMessage($"digest:{TeacherA}:2022-05-06", "teacher-digest", TeacherA, "王伟", new { date = "2022-05-06" }));
        var text = sent.Values.Single().Message.TextBody;

        Assert.DoesNotContain("20级计算机1班4", text); // the old text part ran cells together
        // The class table fits as aligned columns once its bilingual header takes two lines.
        var lines = text.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("班级") && l.Contains("人数"));
        Assert.True(header >= 0, text);
        Assert.StartsWith("Class", lines[header + 1]);
        Assert.Equal(ColumnOf(lines[header], "人数"), ColumnOf(lines[header + 1], "Total"));
        Assert.Matches("^-+$", lines[header + 2]);
        Assert.StartsWith("20级计算机1班  ", lines[header + 3]);
        Assert.Equal(ColumnOf(lines[header], "人数"), ColumnOf(lines[header + 3], "4"));
        // The students to follow up are too wide for a text window: one line per row, each value named by its header.
        var row = text.Split('\n').Single(l => l.StartsWith("- 2020000002"));
        Assert.Contains("姓名: 学生0002; 班级: 20级计算机1班; ", row);
        Assert.Contains("原因 Reasons: 背景有阴影", row);

        // The HTML part is unchanged: a table.
        Assert.Contains("<table", sent.Values.Single().Message.HtmlBody);
    }

    [Fact]
    public void Narrow_tables_are_aligned_columns_with_chinese_counted_double()
    {
        var text = PlainTextBody.FromHtml(
            "<table><tr><th>学号</th><th>姓名</th><th>班级</th><th>剩余小时 Hours</th></tr>" +
            "<tr><td>2020000002</td><td>欧阳娜娜</td><td>20级计算机1班</td><td>3.5</td></tr>" +
            "<tr><td>2020000010</td><td>Li Na</td><td>20级会计1班</td><td>-1</td></tr></table>");
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Matches("^-+$", lines[1]);
        foreach (var (column, row2, row3) in new[] { ("姓名", "欧阳娜娜", "Li Na"), ("班级", "20级计算机1班", "20级会计1班"), ("剩余小时", "3.5", "-1") })
        {
            Assert.Equal(ColumnOf(lines[0], column), ColumnOf(lines[2], row2));
            Assert.Equal(ColumnOf(lines[0], column), ColumnOf(lines[3], row3));
        }
        Assert.Equal(TextWidth.Of(lines[0].TrimEnd()), lines[1].Length);
    }

    private static int ColumnOf(string line, string text) => TextWidth.Of(line[..line.IndexOf(text, StringComparison.Ordinal)]);

    [Fact]
    public async Task Message_ids_carry_the_installation_and_the_from_domain_and_differ_between_installations()
    {
        using var one = new TestHost(From);
        using var two = new TestHost(From);
        await ImportAsync(one);
        await ImportAsync(two);
        var message = new OutboxMessage($"digest:{TeacherA}:2022-05-06", "teacher-digest", TeacherA, "王伟", new { date = "2022-05-06" });
        var a = (await SendAsync(one, message)).Values.Single().Message.MessageId;
        var b = (await SendAsync(two, message)).Values.Single().Message.MessageId;

        Assert.EndsWith("@college.edu.cn", a);
        Assert.EndsWith("@college.edu.cn", b);
        Assert.NotEqual(a, b);
        Assert.Equal(a.Split('.')[0], b.Split('.')[0]); // the same notice: the key's part agrees, the installation's does not
    }

    [Fact]
    public void Wide_tables_become_lists_naming_each_value()
    {
        var html = "<p>Intro &amp; more</p><table><tr><th>班级 Class</th><th>" + string.Join("</th><th>", Enumerable.Range(1, 9).Select(i => $"很长的表头第{i}列 Header {i}")) +
                   "</th></tr><tr><td>20级计算机1班</td><td>" + string.Join("</td><td>", Enumerable.Range(1, 9)) + "</td></tr></table><hr><p>End</p>";
        var text = PlainTextBody.FromHtml(html);
        Assert.StartsWith("Intro & more", text);
        Assert.Contains("- 20级计算机1班; 很长的表头第1列 Header 1: 1; ", text);
        Assert.Contains("----", text);
        Assert.EndsWith("End\n", text);
    }
}
