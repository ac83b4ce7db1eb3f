using System.Diagnostics;
using CollectionWorker.Intake;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Tests.Intake;

/// <summary>
/// What a start removes from the archive on a data directory several nodes share (the age rule applies): a half-written
/// file of a process of this machine that has ended goes at once; one of a process still running, or of another machine,
/// or a name without its writer, waits until it is older than a claim.
/// </summary>
public class ArchiveLeftoverTests
{
    [Fact]
    public async Task A_killed_process_leftover_goes_at_once_and_a_living_writers_stays()
    {
        using var dir = new TempDirectory();
        var paths = new DataPaths(Options.Create(new StorageOptions { DataDirectory = dir.Path }), new DataDirectoryBase(dir.Path));
        var folder = Path.Combine(paths.Archive, "ab");
        Directory.CreateDirectory(folder);
        var host = new string(Environment.MachineName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        var sha = new string('a', 64);

        // A real process that has ended (its id is free now) and one that still runs.
        using var ended = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await ended.WaitForExitAsync();
        using var living = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var ofEnded = Path.Combine(folder, $".{sha}.{host}-{ended.Id}.0123456789abcdef0123456789abcdef.partial");
            var ofLiving = Path.Combine(folder, $".{sha}.{host}-{living.Id}.0123456789abcdef0123456789abcdef.partial");
            var ofOtherHost = Path.Combine(folder, $".{sha}.elsewhere-{ended.Id}.0123456789abcdef0123456789abcdef.partial");
            var withoutWriter = Path.Combine(folder, $".{sha}.0123456789abcdef0123456789abcdef.partial");
            foreach (var f in new[] { ofEnded, ofLiving, ofOtherHost, withoutWriter }) await File.WriteAllTextAsync(f, "half");

            var archive = new PhotoArchive(paths, NullLogger<PhotoArchive>.Instance);
            Assert.Equal(1, archive.RemoveLeftovers(olderThan: TimeSpan.FromMinutes(2)));
            Assert.False(File.Exists(ofEnded));
            Assert.True(File.Exists(ofLiving) && File.Exists(ofOtherHost) && File.Exists(withoutWriter));

            // Older than a claim: every one of them is a leftover.
            foreach (var f in new[] { ofLiving, ofOtherHost, withoutWriter }) File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddMinutes(-3));
            Assert.Equal(3, archive.RemoveLeftovers(olderThan: TimeSpan.FromMinutes(2)));
            Assert.Empty(Directory.GetFiles(paths.Archive, "*.partial", SearchOption.AllDirectories));
        }
        finally
        {
            living.Kill();
        }
    }

    [Fact]
    public async Task A_stored_photo_leaves_no_temporary_file_and_its_living_writer_is_no_leftover()
    {
        using var dir = new TempDirectory();
        var paths = new DataPaths(Options.Create(new StorageOptions { DataDirectory = dir.Path }), new DataDirectoryBase(dir.Path));
        var archive = new PhotoArchive(paths, NullLogger<PhotoArchive>.Instance);
        var sha = new string('b', 64);
        await archive.StoreAsync(sha, new byte[] { 1, 2, 3 }, CancellationToken.None);
        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(archive.PathFor(sha)));
        Assert.Empty(Directory.GetFiles(paths.Archive, "*.partial", SearchOption.AllDirectories));
        // The store's own process is alive: nothing of it is taken for a leftover.
        Assert.Equal(0, archive.RemoveLeftovers(olderThan: TimeSpan.FromMinutes(2)));
    }
}
