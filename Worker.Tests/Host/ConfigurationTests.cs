using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Host;

public class ConfigurationTests
{
    [Fact]
    public async Task The_shipped_configuration_is_valid()
    {
        var repoConfig = Path.Combine(TestHost.RepoRoot(), "config");
        var stdout = new StringWriter();
        var exit = await CollectionWorker.Host.Cli.RunAsync(["check-config", "--config", repoConfig], stdout, new StringWriter());
        Assert.Equal(0, exit);
        Assert.Contains("Configuration OK", stdout.ToString());
    }

    [Fact]
    public async Task Check_config_warns_when_the_upload_window_is_already_over()
    {
        // The shipped file keeps the notice's 2022 dates: valid, but a past campaign.
        var repoConfig = Path.Combine(TestHost.RepoRoot(), "config");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, await CollectionWorker.Host.Cli.RunAsync(["check-config", "--config", repoConfig], stdout, stderr));
        Assert.Contains("warning: Campaign:UploadEnd = 2022-05-12 00:00 +08:00 已经过去", stderr.ToString());
        Assert.Contains("Campaign:UploadEnd = 2022-05-12 00:00 +08:00 is already past", stderr.ToString());
        Assert.Contains("1 warning(s)", stdout.ToString());

        var now = DateTimeOffset.UtcNow;
        using var host = new TestHost($$"""{ "Campaign": { "UploadStart": "{{now.AddDays(-1):O}}", "UploadEnd": "{{now.AddDays(6):O}}" } }""");
        var current = await host.RunAsync("check-config");
        Assert.Equal(0, current.Exit);
        Assert.DoesNotContain("warning", current.Err);
    }

    [Fact]
    public async Task A_misspelt_key_is_reported_once_with_its_file_line_and_the_key_it_resembles()
    {
        using var host = new TestHost("{\n  \"Campaign\": {\n    \"FeeYuan\": 15,\n    \"UplodEnd\": \"2022-05-12T00:00:00+08:00\"\n  },\n  \"Campagn\": {}\n}\n");
        var result = await host.RunAsync("check-config");
        Assert.Equal(1, result.Exit);
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var file = Path.Combine(host.ConfigDirectory, "appsettings.json");
        var typo = Assert.Single(lines, l => l.Contains("UplodEnd"));
        Assert.Contains($"({file} line 4)", typo);
        Assert.Contains("did you mean UploadEnd?", typo);
        Assert.Contains("是否应为 UploadEnd", typo);
        var section = Assert.Single(lines, l => l.Contains("Campagn"));
        Assert.Contains("did you mean Campaign?", section);
        Assert.Contains($"({file} line 6)", section);
        Assert.DoesNotContain("ErrorOnUnknownConfiguration", result.Err);
        Assert.DoesNotContain("BinderOptions", result.Err);
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task A_value_of_the_wrong_form_names_key_value_line_and_form_without_the_binders_words()
    {
        using var host = new TestHost("{\n  \"Campaign\": {\n    \"UploadEnd\": \"next tuesday\"\n  }\n}\n");
        var result = await host.RunAsync("check-config");
        Assert.Equal(1, result.Exit);
        var line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Campaign:UploadEnd = 'next tuesday'", line);
        Assert.Contains("line 3)", line);
        Assert.Contains("ISO-8601 with its offset", line);
        Assert.DoesNotContain("Failed to convert", line);
    }

    [Theory]
    [InlineData("""{ "Campaign": { "UploadStart": "2022-05-12T00:00:00+08:00", "UploadEnd": "2022-05-05T00:00:00+08:00" } }""", "Campaign:UploadEnd")]
    [InlineData("""{ "Campaign": { "TimeZone": "Mars/Olympus" } }""", "Campaign:TimeZone = 'Mars/Olympus'")]
    [InlineData("""{ "Campaign": { "ReviewSla": "-1.00:00:00" } }""", "Campaign:ReviewSla")]
    [InlineData("""{ "Campaign": { "UploadEnd": "next tuesday" } }""", "Campaign:UploadEnd")]
    [InlineData("""{ "Campaign": { "UplodEnd": "2022-05-12T00:00:00+08:00" } }""", "UplodEnd")]
    [InlineData("""{ "Campaign": { "EligibleCohorts": [ { "School": "", "Grade": "2021级" } ] } }""", "Campaign:EligibleCohorts:0:School")]
    [InlineData("""{ "Campaign": { "EligibleCohorts": [ { "School": "南海成人学院", "Grade": "高年级" } ] } }""", "Campaign:EligibleCohorts:0:Grade")]
    [InlineData("""{ "Intake": { "RescanEvery": "00:00:00" } }""", "Intake:RescanEvery")]
    [InlineData("""{ "Smtp": { "Port": 70000 } }""", "Smtp:Port = 70000")]
    [InlineData("""{ "Smtp": { "Security": "Maybe" } }""", "Smtp:Security = 'Maybe'")]
    [InlineData("""{ "Notifications": { "DigestTime": "9am" } }""", "Notifications:DigestTime = '9am'")]
    [InlineData("""{ "Notifications": { "AdminEmails": [ "not-an-address" ] } }""", "Notifications:AdminEmails:0")]
    public async Task A_wrong_value_is_reported_with_its_key_by_check_config_and_at_start(string json, string key)
    {
        using var host = new TestHost(json);
        var check = await host.RunAsync("check-config");
        Assert.Equal(1, check.Exit);
        Assert.Contains(key, check.Err);

        // The service refuses to start on the same configuration, with the same message.
        var run = await host.RunAsync("status");
        Assert.Equal(1, run.Exit);
        Assert.Contains(key, run.Err);
        Assert.False(File.Exists(host.DatabaseFile), "nothing is created when configuration is rejected");
    }

    [Fact]
    public async Task A_json_syntax_error_names_the_file_and_line()
    {
        using var host = new TestHost("{\n  \"Campaign\": {\n    \"FeeYuan\": 15,,\n  }\n}");
        var result = await host.RunAsync("check-config");
        Assert.Equal(1, result.Exit);
        Assert.Contains("appsettings.json", result.Err);
        Assert.Contains("LineNumber: 2", result.Err);
    }

    [Fact]
    public async Task A_config_folder_without_appsettings_is_rejected()
    {
        using var dir = new TempDirectory();
        var stderr = new StringWriter();
        var exit = await CollectionWorker.Host.Cli.RunAsync(["check-config", "--config", dir.Path], new StringWriter(), stderr);
        Assert.Equal(1, exit);
        Assert.Contains("no appsettings.json", stderr.ToString());
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("status", "--colour")]
    [InlineData("import-roster")]
    [InlineData("status", "extra-argument")]
    [InlineData("status", "--class")]
    public async Task Wrong_usage_exits_2_with_the_usage(params string[] args)
    {
        var stderr = new StringWriter();
        var exit = await CollectionWorker.Host.Cli.RunAsync(args, new StringWriter(), stderr);
        Assert.Equal(2, exit);
        Assert.Contains("Usage:", stderr.ToString());
    }
}

/// <summary>Changes the process environment, so it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public class ProcessEnvironment;

[Collection(nameof(ProcessEnvironment))]
public class EnvironmentOverrideTests
{
    [Fact]
    public async Task Environment_variables_override_the_file()
    {
        using var host = new TestHost("""{ "Campaign": { "FeeYuan": 15 } }""");
        Environment.SetEnvironmentVariable("CollectionWorker__Campaign__FeeYuan", "-3");
        try
        {
            var result = await host.RunAsync("check-config");
            Assert.Equal(1, result.Exit);
            Assert.Contains("Campaign:FeeYuan = -3", result.Err);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CollectionWorker__Campaign__FeeYuan", null);
        }
    }
}
