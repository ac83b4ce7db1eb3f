using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Notifications;

public class MailTemplatesTests
{
    [Fact]
    public async Task A_syntax_error_stops_start_up_with_file_line_and_column()
    {
        using var host = new TestHost();
        var file = Path.Combine(host.TemplatesDirectory, "teacher-digest.liquid");
        await File.WriteAllTextAsync(file, "{% capture subject %}Digest{% endcapture %}\n<p>ok</p>\n<p>{% if teacher.name %}unclosed</p>\n");

        var check = await host.RunAsync("check-config");
        Assert.Equal(1, check.Exit);
        Assert.Contains("teacher-digest.liquid:", check.Err);
        Assert.Matches(@"teacher-digest\.liquid:\d+:\d+: ", check.Err);

        var start = await host.RunAsync("status");
        Assert.Equal(1, start.Exit);
        Assert.Contains("teacher-digest.liquid", start.Err);
    }

    [Theory]
    [InlineData("{{ teacher.nmae }}", "nmae")]
    [InlineData("{{ teacher.name | upcasee }}", "upcasee")]
    public async Task A_misspelt_variable_or_filter_is_an_error_not_a_blank(string body, string named)
    {
        using var host = new TestHost();
        await File.WriteAllTextAsync(Path.Combine(host.TemplatesDirectory, "window-open.liquid"),
            "{% capture subject %}Open{% endcapture %}\n<p>" + body + "</p>\n");

        var check = await host.RunAsync("check-config");

        Assert.Equal(1, check.Exit);
        Assert.Contains("window-open.liquid", check.Err);
        Assert.Contains(named, check.Err);
    }

    [Fact]
    public async Task A_missing_template_is_named()
    {
        using var host = new TestHost();
        File.Delete(Path.Combine(host.TemplatesDirectory, "expiry-notice.liquid"));
        var check = await host.RunAsync("check-config");
        Assert.Equal(1, check.Exit);
        Assert.Contains("expiry-notice.liquid: missing", check.Err);
    }

    [Fact]
    public async Task User_text_is_html_encoded()
    {
        using var host = new TestHost();
        await NotificationTestData.ImportAsync(host, edit: s => s.StudentNumber == "2020000001" ? s with { Name = "<b>张三</b>" } : s);

        var preview = await host.RunAsync("preview-mail", "teacher-digest", "--teacher", "王伟");

        Assert.True(preview.Exit == 0, preview.Err);
        var html = await File.ReadAllTextAsync(preview.Out.Split('\n')[1].Trim());
        Assert.Contains("&lt;b&gt;张三&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>张三</b>", html);
    }

    [Fact]
    public async Task Preview_mail_renders_with_sample_data_or_a_real_teacher()
    {
        using var host = new TestHost();
        using (await host.BuildAsync()) { } // preview-mail writes into an existing data directory
        var sample = await host.RunAsync("preview-mail", "admin-report");
        Assert.True(sample.Exit == 0, sample.Err);
        Assert.EndsWith("admin-report.html", sample.Out.Trim());
        var sampleHtml = await File.ReadAllTextAsync(sample.Out.Trim());
        // Made-up numbers say so, in the subject and at the top of the body.
        Assert.Contains("Subject: 【示例数据 SAMPLE DATA】 【毕业生图像采集】采集报告", sampleHtml);
        Assert.True(sampleHtml.IndexOf("示例数据，仅供预览版式", StringComparison.Ordinal) < sampleHtml.IndexOf("教务处：您好", StringComparison.Ordinal));
        Assert.Contains("the students, classes and numbers below are made up", sampleHtml);

        await NotificationTestData.ImportAsync(host);
        var real = await host.RunAsync("preview-mail", "teacher-digest", "--teacher", "李娜");
        Assert.True(real.Exit == 0, real.Err);
        var eml = await MimeKit.MimeMessage.LoadAsync(real.Out.Split('\n')[0].Trim());
        Assert.Equal(NotificationTestData.TeacherB, eml.To.Mailboxes.Single().Address);
        Assert.Contains("20级会计1班", eml.HtmlBody);
        Assert.Single(eml.Attachments);
        Assert.DoesNotContain("SAMPLE DATA", eml.Subject); // a real teacher's data is not labelled as a sample

        Assert.Equal(1, (await host.RunAsync("preview-mail", "no-such-template")).Exit);
        Assert.Equal(1, (await host.RunAsync("preview-mail", "teacher-digest", "--teacher", "无名氏")).Exit);
    }
}
