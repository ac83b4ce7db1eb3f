using CollectionWorker.Intake;
using CollectionWorker.Tests.Support;
using Xunit;

namespace CollectionWorker.Tests.Intake;

public sealed class IntakeOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_are_the_issue_s_patterns()
    {
        var o = new IntakeOptions();
        Assert.True(new IntakeOptionsValidator().Validate(null, o).Succeeded);
        Assert.Equal(["{学号}.jpg", "{身份证号}.jpg", "{学号}_{姓名}.jpg", "{姓名}_{学号}.jpg"], o.Patterns);
        Assert.Equal(10 * 1024 * 1024, o.MaxFileBytes);
        Assert.Equal(EarlyUploadPolicy.Hold, o.EarlyPolicy);
        Assert.Equal(LateUploadPolicy.RefuseUnlessResubmitting, o.LatePolicy);
    }

    [Theory]
    [InlineData("{学号}", "does not end in an extension")]
    [InlineData("{班级}.jpg", "unknown placeholder {班级}")]
    [InlineData("photo.jpg", "no placeholder")]
    [InlineData("{学号}{姓名}.jpg", "two placeholders touch")]
    [InlineData("{学号}_{学号}.jpg", "appears twice")]
    [InlineData("sub/{学号}.jpg", "names a folder")]
    public void A_bad_pattern_is_rejected_naming_the_key_the_value_and_what_is_allowed(string pattern, string problem)
    {
        var result = new IntakeOptionsValidator().Validate(null, new IntakeOptions { FileNamePatterns = ["{学号}.jpg", pattern] });
        var message = Assert.Single(result.Failures!);
        Assert.Contains($"Intake:FileNamePatterns:1 = '{pattern}'", message);
        Assert.Contains(problem, message);
        Assert.Contains("Allowed:", message);
    }

    [Fact]
    public async Task Check_config_names_each_bad_intake_key()
    {
        using var host = new TestHost("""
            { "Intake": { "MaxFileBytes": 12, "MaxParallel": 0, "Extensions": [ "jpg" ], "RetryLockedEvery": "00:00:00" } }
            """);
        var (exit, _, err) = await host.RunAsync("check-config");
        Assert.Equal(1, exit);
        Assert.Contains("Intake:MaxFileBytes = 12", err);
        Assert.Contains("Intake:MaxParallel = 0", err);
        Assert.Contains("Intake:Extensions:0 = 'jpg'", err);
        Assert.Contains("Intake:RetryLockedEvery = 00:00:00", err);
    }

    [Fact]
    public async Task An_unknown_policy_value_stops_the_service_with_a_message_naming_the_key()
    {
        using var host = new TestHost("""{ "Intake": { "LatePolicy": "Sometimes" } }""");
        var (exit, _, err) = await host.RunAsync("check-config");
        Assert.Equal(1, exit);
        Assert.Contains("LatePolicy", err);
        Assert.Contains("Sometimes", err);
    }

    [Fact]
    public async Task The_shipped_appsettings_json_is_valid()
    {
        var shipped = Path.Combine(FindSolutionDirectory(), "config", "appsettings.json");
        using var host = new TestHost(await File.ReadAllTextAsync(shipped));
        var (exit, _, err) = await host.RunAsync("check-config");
        Assert.True(exit == 0, err);
    }

    private static string FindSolutionDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CollectionWorker.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("CollectionWorker.sln not found above the test assembly");
    }
}
