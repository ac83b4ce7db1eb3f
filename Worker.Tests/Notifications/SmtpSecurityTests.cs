using CollectionWorker.Notifications;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using static CollectionWorker.Tests.Notifications.NotificationTestData;

namespace CollectionWorker.Tests.Notifications;

/// <summary>#20 item 5: the SMTP password never crosses an unencrypted connection unless a setting says so.</summary>
public class SmtpSecurityTests
{
    private static string Config(int port, string security, bool? allowPlain = null) =>
        $$"""
          { "Smtp": { "Host": "127.0.0.1", "Port": {{port}}, "Security": "{{security}}", "User": "jwc", "Password": "s3cret-pw"
                      {{(allowPlain is { } a ? $", \"AllowPlainTextAuth\": {a.ToString().ToLowerInvariant()}" : "")}} },
            "Notifications": { "RetryDelay": "00:00:00.05" } }
          """;

    private static OutboxMessage Digest() => new($"digest:{TeacherA}:2022-05-06", "teacher-digest", TeacherA, "王伟", new { date = "2022-05-06" });

    [Fact]
    public async Task With_security_auto_and_no_starttls_the_password_is_not_sent_and_the_failure_says_why()
    {
        await using var smtp = await TestSmtpServer.StartAsync(offerAuth: true);
        using var test = new TestHost(Config(smtp.Port, "Auto"));
        await ImportAsync(test);
        using var host = await test.BuildAsync();
        await EnqueueAsync(host, Digest());

        await Sender(host).SendDueAsync(CancellationToken.None);

        Assert.Contains("EHLO", smtp.Commands); // the server was reached and offered AUTH over plain text
        Assert.DoesNotContain("AUTH", smtp.Commands);
        Assert.Empty(smtp.Logins);
        Assert.Empty(smtp.Messages);
        await using var c = await test.OpenStoreAsync();
        var (state, error) = await c.QuerySingleAsync<(string, string)>("SELECT state, last_error FROM outbox");
        Assert.Equal("pending", state); // kept: once the setting is fixed it goes out
        Assert.Contains("未提供加密连接", error);
        Assert.Contains("offers no encryption (no STARTTLS", error);
        Assert.Contains("Smtp:AllowPlainTextAuth", error);
    }

    [Fact]
    public async Task A_local_relay_explicitly_allowed_gets_the_login()
    {
        await using var smtp = await TestSmtpServer.StartAsync(offerAuth: true);
        using var test = new TestHost(Config(smtp.Port, "Auto", allowPlain: true));
        await ImportAsync(test);
        using var host = await test.BuildAsync();
        await EnqueueAsync(host, Digest());

        await Sender(host).SendDueAsync(CancellationToken.None);

        Assert.Contains("AUTH", smtp.Commands);
        Assert.Equal([("jwc", "s3cret-pw")], smtp.Logins.ToArray());
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task Security_none_with_a_password_is_a_configuration_error()
    {
        using var test = new TestHost(Config(2525, "None"));
        var check = await test.RunAsync("check-config");
        Assert.Equal(1, check.Exit);
        Assert.Contains("Smtp:Security = 'None' with Smtp:User set would send the password unencrypted", check.Err);
    }
}
