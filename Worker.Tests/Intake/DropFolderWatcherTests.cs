using CollectionWorker.Sheets;
using CollectionWorker.Intake;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using System.Text;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Intake;

/// <summary>The running intake stage on a real drop folder, a real roster and a real SQLite store.</summary>
public class DropFolderWatcherTests
{
    private static readonly TestStudent[] Students = Enumerable.Range(1, 8).Select(i => TestStudent.Make(i)).ToArray();

    /// <summary>A PostgreSQL connection string in the subclass that runs this suite on PostgreSQL; null: SQLite.</summary>
    protected virtual Task<string?> PostgresAsync() => Task.FromResult<string?>(null);

    private async Task<IntakeHarness> StartedAsync(object? intake = null, IEnumerable<TestStudent>? students = null, TimeProvider? time = null)
    {
        var h = new IntakeHarness(intake, postgres: await PostgresAsync());
        await h.ImportRosterAsync(students ?? Students);
        await h.StartAsync(time);
        return h;
    }

    [Fact]
    public async Task A_burst_of_1000_files_arriving_at_once_is_all_recorded_and_archived()
    {
        var roster = Enumerable.Range(1, 1000).Select(i => TestStudent.Make(i, className: $"班{i % 10}")).ToList();
        await using var h = await StartedAsync(students: roster);
        var expected = new Dictionary<string, string>();
        var patterns = new Func<TestStudent, string>[]
        {
            s => $"{s.StudentNumber}.jpg", s => $"{s.NationalId}.jpg", s => $"{s.StudentNumber}_{s.Name}.jpg", s => $"{s.Name}_{s.StudentNumber}.JPG",
        };
        // Written beside the inbox, then moved in: 1,000 files land in the folder within milliseconds.
        var staging = Path.Combine(h.DataDirectory, "staging");
        Directory.CreateDirectory(staging);
        for (var i = 0; i < roster.Count; i++)
        {
            var name = patterns[i % patterns.Length](roster[i]);
            var bytes = FakeJpeg.Make(i);
            await File.WriteAllBytesAsync(Path.Combine(staging, name), bytes);
            expected[roster[i].StudentNumber] = IntakeHarness.Sha256(bytes);
        }
        foreach (var f in Directory.GetFiles(staging)) File.Move(f, Path.Combine(h.Inbox, Path.GetFileName(f)));

        await h.WaitForSubmissionsAsync(1000, TimeSpan.FromSeconds(60));
        var rows = await h.SubmissionsAsync();
        Assert.Equal(1000, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(expected[r.student_number], r.sha256);
            Assert.Equal(r.sha256, IntakeHarness.Sha256(File.ReadAllBytes(h.ArchivePath(r.sha256))));
            Assert.Equal("awaiting_inspection", r.state);
            Assert.Equal("in_window", r.window_stamp);
            Assert.Equal(1, r.attempt);
        });
        await IntakeHarness.WaitUntilAsync(() => Directory.GetFiles(h.Inbox).Length == 0, what: "an empty inbox");
        Assert.Empty(Directory.GetFiles(h.Unmatched));
    }

    [Fact]
    public async Task A_file_written_slowly_in_chunks_is_not_taken_before_it_is_complete()
    {
        // StableFor 5 s against pauses of 0.3 s: a loaded CI machine may stretch a pause (a slow query, a GC), not sixteenfold.
        await using var h = await StartedAsync(new { StableFor = "00:00:05", RescanEvery = "00:00:01" });
        var bytes = FakeJpeg.Make(7, 30_000);
        var path = Path.Combine(h.Inbox, $"{Students[0].StudentNumber}.jpg");
        // Like a network copy: open, append a chunk, close, pause – no lock held between chunks.
        for (var offset = 0; offset < bytes.Length; offset += 3_000)
        {
            await using (var s = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
                await s.WriteAsync(bytes.AsMemory(offset, Math.Min(3_000, bytes.Length - offset)));
            await Task.Delay(300);
            Assert.Empty(await h.SubmissionsAsync());
            Assert.True(File.Exists(path));
        }

        await h.WaitForSubmissionsAsync(1);
        var row = Assert.Single(await h.SubmissionsAsync());
        Assert.Equal(IntakeHarness.Sha256(bytes), row.sha256);
        Assert.Equal(bytes.Length, row.size_bytes);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(h.ArchivePath(row.sha256)));
    }

    [Fact]
    public async Task Every_naming_pattern_matches_its_student_with_any_extension_case_width_and_spacing()
    {
        var s = Students;
        var files = new (string Name, TestStudent Student)[]
        {
            ($"{s[0].StudentNumber}.jpg", s[0]),
            ($"{s[1].NationalId}.jpg", s[1]),
            ($"{s[2].StudentNumber}_{s[2].Name}.jpg", s[2]),
            ($"{s[3].Name}_{s[3].StudentNumber}.jpg", s[3]),
            ($"{s[4].StudentNumber}.JPEG", s[4]),
            // Full-width digits and a full-width space, as Chinese input methods type them.
            ($"{ToFullWidth(s[5].StudentNumber)}\u3000.JPG", s[5]),
            ($"{s[6].Name} _ {s[6].StudentNumber}.Jpg", s[6]),
            (Path.Combine("20级计算机1班", $"{s[7].NationalId.ToLowerInvariant()}.jpeg"), s[7]),
        };
        await using var h = await StartedAsync();
        for (var i = 0; i < files.Length; i++) h.Drop(files[i].Name, FakeJpeg.Make(100 + i));

        await h.WaitForSubmissionsAsync(files.Length);
        var rows = await h.SubmissionsAsync();
        foreach (var (name, student) in files)
            Assert.Equal(student.StudentNumber, Assert.Single(rows, r => r.original_name == name).student_number);
        Assert.Empty(Directory.GetFiles(h.Unmatched, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Temporary_hidden_and_linked_files_are_left_alone_and_sub_folders_follow_the_recursion_setting()
    {
        await using var h = await StartedAsync(new { StableFor = "00:00:00.100", RescanEvery = "00:00:01", Recursive = false });
        string[] ignored = [$"{Students[0].StudentNumber}.jpg.tmp", $"{Students[1].StudentNumber}.jpg.part", $"{Students[2].StudentNumber}.jpg.crdownload",
            $"~${Students[3].StudentNumber}.jpg", $".{Students[4].StudentNumber}.jpg", Path.Combine("sub", $"{Students[5].StudentNumber}.jpg")];
        for (var i = 0; i < ignored.Length; i++) h.Drop(ignored[i], FakeJpeg.Make(200 + i));
        var outside = Path.Combine(h.Cli.Root, "outside.jpg");
        await File.WriteAllBytesAsync(outside, FakeJpeg.Make(299));
        File.CreateSymbolicLink(Path.Combine(h.Inbox, $"{Students[6].StudentNumber}.jpg"), outside);
        h.Drop($"{Students[7].StudentNumber}.jpg", FakeJpeg.Make(300));

        await h.WaitForSubmissionsAsync(1);
        await Task.Delay(1500); // two rescans more: the ignored files must still be untouched
        var row = Assert.Single(await h.SubmissionsAsync());
        Assert.Equal(Students[7].StudentNumber, row.student_number);
        foreach (var name in ignored) Assert.True(File.Exists(Path.Combine(h.Inbox, name)), name);
        Assert.True(File.Exists(outside));
        Assert.Empty(Directory.GetFiles(h.Unmatched, "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(h.Refused, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Unmatched_files_are_kept_with_a_reason_in_Chinese_and_English()
    {
        await using var h = await StartedAsync();
        h.Drop("2099999999.jpg", FakeJpeg.Make(1));
        h.Drop($"{Students[0].StudentNumber}_李四.jpg", FakeJpeg.Make(2));
        h.Drop("证件照(1).jpg", FakeJpeg.Make(3));

        var unknown = await h.WaitForReasonAsync(h.Unmatched, "2099999999.jpg");
        Assert.Contains("名单中没有学号 2099999999", unknown);
        Assert.Contains("no student with student number 2099999999", unknown);
        var wrongName = await h.WaitForReasonAsync(h.Unmatched, $"{Students[0].StudentNumber}_李四.jpg");
        Assert.Contains("姓名“李四”", wrongName);
        Assert.Contains("name '李四' is not the name of student", wrongName);
        var noPattern = await h.WaitForReasonAsync(h.Unmatched, "证件照(1).jpg");
        Assert.Contains("不符合任何命名规则", noPattern);
        Assert.Contains("follows none of the naming patterns", noPattern);
        Assert.Empty(await h.SubmissionsAsync());
        Assert.Empty(Directory.GetFiles(h.Inbox));
        Assert.Equal(FakeJpeg.Make(1), await File.ReadAllBytesAsync(Path.Combine(h.Unmatched, "2099999999.jpg")));
    }

    [Fact]
    public async Task A_name_that_fits_two_students_is_ambiguous_and_set_aside()
    {
        var twins = new[] { TestStudent.Make(1) with { Name = "张伟" }, TestStudent.Make(2) with { Name = "张伟" }, TestStudent.Make(3) };
        await using var h = await StartedAsync(new
        {
            StableFor = "00:00:00.100", RescanEvery = "00:00:05",
            FileNamePatterns = new[] { "{学号}.jpg", "{身份证号}.jpg", "{学号}_{姓名}.jpg", "{姓名}_{学号}.jpg", "{姓名}.jpg" },
        }, twins);
        h.Drop("张伟.jpg", FakeJpeg.Make(1));
        h.Drop($"{twins[2].Name}.jpg", FakeJpeg.Make(2));

        var reason = await h.WaitForReasonAsync(h.Unmatched, "张伟.jpg");
        Assert.Contains("AMBIGUOUS", reason);
        Assert.Contains(twins[0].StudentNumber, reason);
        Assert.Contains(twins[1].StudentNumber, reason);
        Assert.Contains("more than one student", reason);
        await h.WaitForSubmissionsAsync(1);
        Assert.Equal(twins[2].StudentNumber, Assert.Single(await h.SubmissionsAsync()).student_number);
    }

    [Fact]
    public async Task Students_outside_the_cohorts_oversized_files_escaping_names_and_other_types_are_refused_with_a_reason()
    {
        var outsider = TestStudent.Make(50, grade: "2019级");
        await using var h = await StartedAsync(new { StableFor = "00:00:00.100", RescanEvery = "00:00:05", MaxFileBytes = 4096 },
            Students.Append(outsider));
        h.Drop($"{outsider.StudentNumber}.jpg", FakeJpeg.Make(1));
        h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(2, 5000));
        h.Drop(@"..\..\" + $"{Students[1].StudentNumber}.jpg", FakeJpeg.Make(3));
        h.Drop($"{Students[2].StudentNumber}.png", FakeJpeg.Make(4));

        var ineligible = await h.WaitForReasonAsync(h.Refused, $"{outsider.StudentNumber}.jpg");
        Assert.Contains("not in this campaign's cohorts", ineligible);
        Assert.Contains("不在本次采集对象范围内", ineligible);
        var large = await h.WaitForReasonAsync(h.Refused, $"{Students[0].StudentNumber}.jpg");
        Assert.Contains("TOO_LARGE", large);
        Assert.Contains("5000", large);
        // Kept under a safe, visible name (not the hidden ".._.._x.jpg"): the path parts are dropped,
        // and the name as it arrived is in the reason file.
        var escaping = await h.WaitForReasonAsync(h.Refused, $"{Students[1].StudentNumber}.jpg");
        Assert.Contains("PATH_ESCAPE", escaping);
        Assert.Contains(@"文件 File: ..\..\" + $"{Students[1].StudentNumber}.jpg", escaping);
        Assert.DoesNotContain(Directory.GetFiles(h.Refused), f => Path.GetFileName(f).StartsWith('.'));
        var png = await h.WaitForReasonAsync(h.Refused, $"{Students[2].StudentNumber}.png");
        Assert.Contains("WRONG_EXTENSION", png);
        Assert.Empty(await h.SubmissionsAsync());
        Assert.Empty(Directory.GetFiles(h.Inbox));
    }

    [Fact]
    public async Task The_same_bytes_delivered_twice_for_one_student_are_recorded_once()
    {
        await using var h = await StartedAsync();
        var bytes = FakeJpeg.Make(42);
        h.Drop($"{Students[0].StudentNumber}.jpg", bytes);
        await h.WaitForSubmissionsAsync(1);
        h.Drop($"{Students[0].StudentNumber}_{Students[0].Name}.jpg", bytes);
        await IntakeHarness.WaitUntilAsync(() => Directory.GetFiles(h.Inbox).Length == 0, what: "the re-delivery to be taken");

        var row = Assert.Single(await h.SubmissionsAsync());
        Assert.Equal(1, row.attempt);
        Assert.Equal("awaiting_inspection", row.state);
        Assert.Empty(Directory.GetFiles(h.Unmatched));
        Assert.Empty(Directory.GetFiles(h.Refused));
    }

    [Fact]
    public async Task A_new_photo_supersedes_the_earlier_one_and_counts_as_the_next_attempt()
    {
        await using var h = await StartedAsync();
        await IntakeHarness.WaitGoneAsync(h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1)));
        await h.WaitForSubmissionsAsync(1);
        h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(2));
        await h.WaitForSubmissionsAsync(2);

        var rows = await h.SubmissionsAsync();
        Assert.Equal(["superseded", "awaiting_inspection"], rows.Select(r => r.state));
        Assert.Equal([1L, 2L], rows.Select(r => r.attempt));
    }

    [Fact]
    public async Task The_same_photo_for_two_students_is_recorded_for_both_and_flagged_for_review()
    {
        await using var h = await StartedAsync();
        var bytes = FakeJpeg.Make(77);
        h.Drop($"{Students[0].StudentNumber}.jpg", bytes);
        await h.WaitForSubmissionsAsync(1);
        h.Drop($"{Students[1].StudentNumber}.jpg", bytes);
        await h.WaitForSubmissionsAsync(2);

        var rows = await h.SubmissionsAsync();
        Assert.All(rows, r => Assert.Equal(IntakeHarness.Sha256(bytes), r.sha256));
        await using var c = await h.Database.OpenAsync();
        // Flagged by the photo's content when shown, not by a row per pair.
        Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT count(*) FROM submission_flags"));
        var flags = await SamePhotoGroups.SummariesAsync(c, "1 = 1");
        Assert.Equal(2, flags.Count);
        Assert.Contains(Students[1].StudentNumber, flags[rows[0].id]);
        Assert.Contains("1 other student(s)", flags[rows[0].id]);
        Assert.Contains(Students[0].StudentNumber, flags[rows[1].id]);
        Assert.Contains("另外 1 名学生", flags[rows[1].id]);
    }

    [Fact]
    public async Task A_locked_file_is_retried_and_reported_never_deleted_and_taken_once_released()
    {
        await using var h = await StartedAsync(new
        {
            StableFor = "00:00:00.100", RescanEvery = "00:00:01", RetryLockedEvery = "00:00:00.200", ReportLockedAfter = 2,
        });
        var path = h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(5));
        await using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            await Task.Delay(1500);
            Assert.True(File.Exists(path));
            Assert.Empty(await h.SubmissionsAsync());
        }
        await h.WaitForSubmissionsAsync(1);
        await IntakeHarness.WaitGoneAsync(path);
    }

    [Fact]
    public async Task Before_the_first_roster_import_files_wait_in_the_inbox_instead_of_going_to_unmatched()
    {
        await using var h = new IntakeHarness(new { StableFor = "00:00:00.100", RescanEvery = "00:00:01", RetryLockedEvery = "00:00:00.200" }, postgres: await PostgresAsync());
        await h.StartAsync();
        var path = h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1));
        await Task.Delay(1000);
        Assert.True(File.Exists(path));
        Assert.Empty(Directory.GetFiles(h.Unmatched));

        await h.ImportRosterAsync(Students);
        await h.WaitForSubmissionsAsync(1);
        Assert.Equal(Students[0].StudentNumber, Assert.Single(await h.SubmissionsAsync()).student_number);
    }

    [Fact]
    public async Task Status_shows_intake_counts_in_text_and_json()
    {
        // "Today" is the campaign's (Asia/Shanghai) day: a clock held at its noon, so midnight never falls between the
        // uploads and the status. Files are taken as soon as they can be opened: the fake clock does not move on its own.
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var clock = new FakeTimeProvider(new DateTimeOffset(today.Year, today.Month, today.Day, 12, 0, 0, today.Offset));
        await using var h = await StartedAsync(new { StableFor = "00:00:00", RescanEvery = "00:00:30" }, time: clock);
        h.Drop($"{Students[0].StudentNumber}.jpg", FakeJpeg.Make(1));
        h.Drop($"{Students[1].StudentNumber}.jpg", FakeJpeg.Make(2));
        h.Drop("nobody.jpg", FakeJpeg.Make(3));
        h.Drop($"{Students[2].StudentNumber}.gif", FakeJpeg.Make(4));
        await h.WaitForSubmissionsAsync(2);
        await h.WaitForReasonAsync(h.Unmatched, "nobody.jpg");
        await h.WaitForReasonAsync(h.Refused, $"{Students[2].StudentNumber}.gif");

        var (exit, text, err) = await h.Cli.RunAsync(clock, "status");
        Assert.True(exit == 0, err);
        Assert.Contains("received today 2, unmatched 1, refused 1, waiting for inspection 2", text);
        var (jsonExit, json, _) = await h.Cli.RunAsync(clock, "status", "--json");
        Assert.Equal(0, jsonExit);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var intake = doc.RootElement.GetProperty("intake");
        Assert.Equal(2, intake.GetProperty("received_today").GetInt32());
        Assert.Equal(1, intake.GetProperty("unmatched").GetInt32());
        Assert.Equal(1, intake.GetProperty("refused").GetInt32());
        Assert.Equal(2, intake.GetProperty("awaiting_inspection").GetInt32());
    }

    private static string ToFullWidth(string digits)
    {
        var sb = new StringBuilder();
        foreach (var ch in digits) sb.Append(char.IsAsciiDigit(ch) ? (char)('０' + (ch - '0')) : ch);
        return sb.ToString();
    }
}

/// <summary>The same suite on a PostgreSQL store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DropFolderWatcherOnPostgresTests(PostgresServer server) : DropFolderWatcherTests
{
    protected override async Task<string?> PostgresAsync() => await server.CreateDatabaseAsync();
}
