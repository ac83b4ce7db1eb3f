using CollectionWorker.Tests.Support;
using Xunit;

namespace CollectionWorker.Tests.Intake;

/// <summary>
/// The states a crash can leave behind, laid out on disk on purpose, then the stage started: each is
/// finished correctly, without a second row and without losing the file.
/// </summary>
public sealed class RestartRecoveryTests
{
    private static readonly TestStudent[] Students = Enumerable.Range(1, 3).Select(i => TestStudent.Make(i)).ToArray();

    [Fact]
    public async Task Committed_but_not_removed_archived_but_not_committed_and_half_written_archive_files_are_all_recovered()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00", RescanEvery = "00:00:01" });
        await h.ImportRosterAsync(Students);

        // 1. A first run records a photo…
        await h.StartAsync();
        var committed = FakeJpeg.Make(1);
        h.Drop($"{Students[0].StudentNumber}.jpg", committed);
        await h.WaitForSubmissionsAsync(1);
        await h.StopAsync();

        // …and "crashes" before removing the inbox copy: the same file is back in the inbox.
        h.Drop($"{Students[0].StudentNumber}.jpg", committed);
        // 2. Archived and flushed, but the crash came before the commit.
        var archivedOnly = FakeJpeg.Make(2);
        var sha2 = IntakeHarness.Sha256(archivedOnly);
        Directory.CreateDirectory(Path.GetDirectoryName(h.ArchivePath(sha2))!);
        await File.WriteAllBytesAsync(h.ArchivePath(sha2), archivedOnly);
        h.Drop($"{Students[1].StudentNumber}.jpg", archivedOnly);
        // 3. A half-written temporary archive file of a third photo.
        var third = FakeJpeg.Make(3);
        var sha3 = IntakeHarness.Sha256(third);
        var partial = Path.Combine(h.Archive, sha3[..2], $".{sha3}.0123456789abcdef.partial");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        await File.WriteAllBytesAsync(partial, third[..100]);
        // Left by a crash an hour ago: on PostgreSQL a younger one may be another node's write in progress (docs/postgresql.md).
        File.SetLastWriteTimeUtc(partial, DateTime.UtcNow.AddHours(-1));
        h.Drop($"{Students[2].StudentNumber}.jpg", third);

        await h.StartAsync();
        await h.WaitForSubmissionsAsync(3);
        await IntakeHarness.WaitUntilAsync(() => Directory.GetFiles(h.Inbox).Length == 0, what: "an empty inbox");

        var rows = await h.SubmissionsAsync();
        Assert.Equal(3, rows.Count);
        Assert.Single(rows, r => r.student_number == Students[0].StudentNumber);
        Assert.All(rows, r => Assert.Equal(r.sha256, IntakeHarness.Sha256(File.ReadAllBytes(h.ArchivePath(r.sha256)))));
        Assert.False(File.Exists(partial));
        Assert.Empty(Directory.GetFiles(h.Archive, "*.partial", SearchOption.AllDirectories));
    }
}
