using CollectionWorker.Sheets;
using CollectionWorker.Intake;
using CollectionWorker.Notifications;
using CollectionWorker.Review;
using CollectionWorker.Tests.Review;
using CollectionWorker.Tests.Support;
using Xunit;

namespace CollectionWorker.Tests.Intake;

/// <summary>One photo shared by many students (issue #20 item 2): linear in the store, bounded in every cell.</summary>
public sealed class SamePhotoTests
{
    [Fact]
    public async Task One_photo_uploaded_for_215_students_makes_no_pair_rows_and_the_review_sheet_is_written()
    {
        const int copies = 215;
        await using var h = new IntakeHarness(new { StableFor = "00:00:00", RescanEvery = "00:00:01" });
        var students = Enumerable.Range(1, copies).Select(i => TestStudent.Make(i)).ToList();
        await h.ImportRosterAsync(students);
        await h.StartAsync();
        var photo = ReviewWorld.Portrait(7);
        foreach (var s in students) h.Drop($"{s.StudentNumber}.jpg", photo);
        await h.WaitForSubmissionsAsync(copies, TimeSpan.FromSeconds(120));
        await h.StopAsync();

        // Nothing per pair: 215 copies once made 215 x 214 flag rows.
        Assert.Equal(0L, await h.ScalarAsync<long>("SELECT count(*) FROM submission_flags"));
        Assert.Equal(1L, await h.ScalarAsync<long>("SELECT count(DISTINCT sha256) FROM submissions"));

        // As if the inspection had passed every one on to the studio.
        await h.ExecuteAsync("UPDATE submissions SET state = 'awaiting_review'");
        var (exit, output, error) = await h.Cli.RunAsync("export-review");
        Assert.True(exit == 0, error);
        // Named in campaign time with its offset, like every stamped file.
        Assert.Matches(@"^review-\d{8}-\d{6}\+0800-\d+\.xlsx$", Path.GetFileName(output.Trim()));
        var ws = WorkbookView.Open(output.Trim()).Sheet(ReviewSheetLayout.PendingSheet);
        var flags = ReviewWorld.Column(ws, "检测提示 Flags");
        var number = ReviewWorld.Column(ws, ReviewSheetLayout.StudentNumber);
        var rows = Enumerable.Range(ReviewSheetLayout.FirstDataRow, copies).ToList();
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(ws.Text(r, number))));
        foreach (var r in rows)
        {
            var text = ws.Text(r, flags);
            Assert.Contains($"另外 {copies - 1} 名学生", text);
            Assert.Contains($"{copies - 1} other student(s)", text);
            Assert.True(text.Length < 600, $"row {r}: {text.Length} characters");
            // The first few others are named, never the row's own student.
            Assert.DoesNotContain(ws.Text(r, number), text);
        }
        // The others are named in the order their photos arrived, which is the intake's order, not the roster's.
        var arrived = (await h.SubmissionsAsync()).OrderBy(s => s.id).Select(s => s.student_number).ToList();
        var firstText = ws.Text(ReviewWorld.RowOf(ws, arrived[0]), flags);
        Assert.Contains($"（学号 {string.Join("、", arrived.Skip(1).Take(SamePhotoGroups.NamedNumbers))} 等）", firstText);
        var lastText = ws.Text(ReviewWorld.RowOf(ws, arrived[^1]), flags);
        Assert.Contains($"（学号 {string.Join("、", arrived.Take(SamePhotoGroups.NamedNumbers))} 等）", lastText);
    }

    [Fact]
    public void A_summary_names_the_count_and_at_most_five_numbers()
    {
        var numbers = Enumerable.Range(1, SamePhotoGroups.NamedNumbers).Select(i => $"2020{i:000000}").ToList();
        var text = SamePhotoGroups.Summary(999, numbers);
        Assert.Contains("另外 999 名学生", text);
        Assert.Contains("2020000005 等", text);
        Assert.Contains("999 other student(s) (2020000001, 2020000002, 2020000003, 2020000004, 2020000005, …)", text);
        Assert.DoesNotContain("…", SamePhotoGroups.Summary(2, numbers[..2]));
    }
}
