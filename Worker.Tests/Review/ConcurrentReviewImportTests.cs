using CollectionWorker.Review;
using Dapper;
using static CollectionWorker.Review.ReviewOutcomeKind;
using static CollectionWorker.Review.ReviewSheetLayout;

namespace CollectionWorker.Tests.Review;

/// <summary>
/// Two reviewers' sheets deciding the same submissions imported at the same moment (two nodes, or the inbox and
/// the command line): each submission is decided once, by whichever import got to it first; the other import
/// says so on its row (already decided, or a conflict naming the first reviewer) and changes nothing there.
/// On SQLite the writer lock serialises the rows; on PostgreSQL (Worker.Tests.Postgres) the row of the
/// submission is held by the first transaction, and the second one's unique key used to fail the whole import.
/// </summary>
public class ConcurrentReviewImportTests
{
    [Fact]
    public async Task Two_sheets_imported_at_once_decide_each_submission_once_and_the_other_row_is_told()
    {
        const int students = 16;
        using var world = await ReviewWorld.CreateAsync(students);
        var ids = new Dictionary<int, long>();
        for (var i = 1; i <= students; i++) ids[i] = (await world.SubmitAsync(i)).Id;
        var sheet = await world.ExportAsync();
        // 张 approves everything; 李 rejects the odd ones and approves the even ones, so half the rows conflict and half agree.
        var zhang = world.Fill(sheet, "zhang.xlsx", "张师傅",
            Enumerable.Range(1, students).Select(i => (PendingSheet, i, "通过", "", "")).ToArray());
        var li = world.Fill(sheet, "li.xlsx", "李师傅",
            Enumerable.Range(1, students).Select(i => i % 2 == 1 ? (PendingSheet, i, "不通过", "背景不符合要求", "") : (PendingSheet, i, "通过", "", "")).ToArray());

        var importer = world.Get<ReviewImporter>();
        using var start = new Barrier(2);
        var results = await Task.WhenAll(
            Task.Run(() => { start.SignalAndWait(); return importer.ImportAsync(zhang, "test"); }),
            Task.Run(() => { start.SignalAndWait(); return importer.ImportAsync(li, "test"); }));

        Assert.All(results, r => Assert.Null(r.Error));
        var byStudent = results.SelectMany(r => r.Outcomes.Select(o => (r.Reviewer, o))).ToLookup(x => x.o.Row.StudentNumber);
        await using var c = await world.OpenAsync();
        for (var i = 1; i <= students; i++)
        {
            var rows = byStudent[ReviewWorld.Number(i)].ToList();
            Assert.Equal(2, rows.Count);
            var applied = Assert.Single(rows, x => x.o.Kind is Approved or Rejected);
            var told = Assert.Single(rows, x => x.o.Kind is not (Approved or Rejected));
            Assert.Equal(i % 2 == 1 ? Conflict : AlreadyDecided, told.o.Kind);
            Assert.Contains(applied.Reviewer, told.o.Message);
            var state = await world.SubmissionAsync(ids[i]);
            Assert.Equal((applied.o.Kind == Approved ? "approved" : "rejected", applied.Reviewer), (state.State, state.DecidedBy));
            Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM review_decisions WHERE submission_id = @id", new { id = ids[i] }));
            Assert.Equal(1, await c.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM audit_log WHERE subject = @s AND action IN ('review approved', 'review rejected')", new { s = $"submission:{ids[i]}" }));
        }
        var rejectedWins = byStudent.SelectMany(g => g).Count(x => x.o.Kind == Rejected);
        Assert.Equal(rejectedWins, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM outbox WHERE template = 'rejection-notice'"));
        Assert.Equal(rejectedWins, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM deadlines WHERE kind = 'resubmission' AND state = 'pending'"));
    }
}
