using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Host;

public class DataDirectoryTests
{
    [Theory]
    [InlineData("status")]
    [InlineData("schedule")]
    [InlineData("export-approved")]
    [InlineData("export-review")]
    [InlineData("preview-mail", "window-open")]
    public async Task A_mistyped_data_directory_is_refused_and_not_created(params string[] verb)
    {
        using var host = new TestHost();
        var typo = host.DataDirectory + "-typo";
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CollectionWorker.Host.Cli.RunAsync([.. verb, "--config", host.ConfigDirectory, "--data", typo], stdout, stderr);

        Assert.Equal(1, exit);
        Assert.Contains($"The data directory {typo} does not exist", stderr.ToString());
        Assert.Contains($"数据目录 {typo} 不存在", stderr.ToString());
        Assert.False(Directory.Exists(typo), "a mistyped --data must not become a new campaign");
    }

    [Fact]
    public async Task An_existing_folder_without_a_store_is_refused_rather_than_made_a_campaign()
    {
        using var host = new TestHost();
        Directory.CreateDirectory(host.DataDirectory);
        var result = await host.RunAsync("status");
        Assert.Equal(1, result.Exit);
        Assert.Contains("has no store (collection.db)", result.Err);
        Assert.False(File.Exists(host.DatabaseFile));
        Assert.Empty(Directory.GetFileSystemEntries(host.DataDirectory));
    }

    [Fact]
    public async Task Import_roster_creates_the_data_directory_and_says_so_then_other_verbs_use_it()
    {
        using var host = new TestHost();
        var roster = RosterBuilder.Write(host.File("roster.xlsx"), [TestStudent.Make(1)]);
        var import = await host.RunAsync("import-roster", roster);
        Assert.Equal(0, import.Exit);
        Assert.Contains($"Creating the data directory {host.DataDirectory}", import.Err);

        var status = await host.RunAsync("status");
        Assert.Equal(0, status.Exit);
        Assert.DoesNotContain("Creating", status.Err);
    }

    [Fact]
    public async Task Verify_export_needs_no_data_directory()
    {
        using var host = new TestHost();
        var result = await host.RunAsync("verify-export", host.File("nowhere"));
        Assert.Equal(1, result.Exit);
        Assert.DoesNotContain("data directory", result.Err);
        Assert.False(Directory.Exists(host.DataDirectory));
    }
}
