using CollectionWorker.Logging;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace CollectionWorker.Tests.Logging;

public sealed class LogFileProviderTests
{
    [Fact]
    public void A_full_file_continues_in_a_second_part_and_only_the_newest_files_are_kept()
    {
        using var dir = new TempDirectory();
        var logs = Path.Combine(dir.Path, "data", "logs");
        Directory.CreateDirectory(logs);
        // Older days' files, oldest first.
        for (var i = 0; i < LogFileProvider.KeepFiles + 5; i++)
        {
            var old = Path.Combine(logs, $"collection-worker-2021-01-{i + 1:00}.log");
            File.WriteAllText(old, "old\n");
            File.SetLastWriteTimeUtc(old, new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i));
        }

        var now = new DateTimeOffset(2022, 5, 5, 1, 30, 0, TimeSpan.Zero); // 09:30 in Beijing
        var provider = new LogFileProvider(
            new DataPaths(Options.Create(new StorageOptions { DataDirectory = Path.Combine(dir.Path, "data") }), new DataDirectoryBase(dir.Path)),
            new CampaignTime(new FixedTime(now), new ConfigurationBuilder().Build()));
        var logger = provider.CreateLogger("CollectionWorker.Intake.IntakeProcessor");
        var line = new string('x', 1000);
        var lines = (int)(LogFileProvider.MaxFileBytes / 1000) + 100;
        for (var i = 0; i < lines; i++) logger.LogInformation("{Line}", line);
        provider.Dispose();

        var today = Directory.GetFiles(logs, "collection-worker-2022-05-05*.log").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["collection-worker-2022-05-05.2.log", "collection-worker-2022-05-05.log"], today);
        Assert.True(new FileInfo(Path.Combine(logs, "collection-worker-2022-05-05.log")).Length >= LogFileProvider.MaxFileBytes);
        Assert.Equal(lines, today.Sum(f => File.ReadLines(Path.Combine(logs, f!)).Count()));
        Assert.StartsWith("2022-05-05 09:30:00.000 +08:00 info Intake.IntakeProcessor: xxx", File.ReadLines(Path.Combine(logs, today[1]!)).First());
        Assert.True(Directory.GetFiles(logs).Length <= LogFileProvider.KeepFiles, $"{Directory.GetFiles(logs).Length} files kept");
        Assert.False(File.Exists(Path.Combine(logs, "collection-worker-2021-01-01.log")), "the oldest day is removed");
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
