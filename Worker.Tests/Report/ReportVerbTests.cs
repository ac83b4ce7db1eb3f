using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Report;

public class ReportVerbTests
{
    [Fact]
    public async Task Before_any_roster_the_report_says_so_and_lands_in_the_data_directorys_report_folder()
    {
        using var host = new TestHost();
        await CreateEmptyStoreAsync(host); // as the service leaves it when it has started with no roster yet
        var result = await host.RunAsync("report");
        Assert.True(result.Exit == 0, result.Err);
        var page = result.Out.Trim();
        Assert.Equal(Path.Combine(host.DataDirectory, "report"), Path.GetDirectoryName(page));
        var html = await File.ReadAllTextAsync(page);
        Assert.Contains("还没有导入名单。 No roster imported yet.", html);
        Assert.Contains("暂无。 None yet.", html);
        Assert.Contains("没有超时。 None overdue.", html);
    }

    [Fact]
    public async Task A_file_given_as_out_folder_and_out_with_another_verb_are_refused_with_clear_messages()
    {
        using var host = new TestHost();
        await CreateEmptyStoreAsync(host);
        var file = host.File("not-a-folder.txt");
        await File.WriteAllTextAsync(file, "x");
        var result = await host.RunAsync("report", "--out", file);
        Assert.Equal(1, result.Exit);
        Assert.Contains($"--out {file}：这是文件，请给出文件夹 (that is a file; give a folder for the report)", result.Err);
        Assert.Equal("x", await File.ReadAllTextAsync(file));

        var usage = await host.RunAsync("status", "--out", host.File("x"));
        Assert.Equal(2, usage.Exit);
        Assert.Contains("--out goes with 'export-approved' or 'report'", usage.Err);
    }

    private static async Task CreateEmptyStoreAsync(TestHost host)
    {
        Directory.CreateDirectory(host.DataDirectory);
        await new CollectionWorker.Store.Migrator(host.Store,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<CollectionWorker.Store.Migrator>.Instance).ApplyAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
