using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Deadlines;

/// <summary>The kinds of deadline, as stored in <c>deadlines.kind</c>.</summary>
public static class DeadlineKinds
{
    public const string ReviewSlaWarning = "review_sla_warning";
    public const string ReviewSlaEscalation = "review_sla_escalation";
    public const string Resubmission = "resubmission";
}

/// <summary>
/// The hand-off for the deciding stages: call these inside the transaction that records the decision,
/// so the deadline exists exactly when the decision does. The deadlines stage picks the rows up
/// (within Deadlines:PlanEvery) and schedules them; nobody calls the scheduler directly.
/// Adding the same deadline twice is a no-op, so a re-run decision is harmless.
/// </summary>
public sealed class DeadlineRows(IOptions<CampaignOptions> campaign, IOptions<DeadlinesOptions> deadlines, TimeProvider time)
{
    /// <summary>
    /// A rejection (automatic or by the studio) at <paramref name="decidedAt"/>: the student has
    /// Campaign:ResubmissionPeriod to upload again. Also writes <c>submissions.resubmit_deadline</c>
    /// so the status machine and the deadline agree. Returns the deadline.
    /// </summary>
    public async Task<DateTimeOffset> AddResubmissionAsync(SqliteConnection connection, SqliteTransaction transaction, long submissionId,
        DateTimeOffset decidedAt)
    {
        var due = decidedAt + campaign.Value.ResubmissionPeriod;
        await connection.ExecuteAsync("UPDATE submissions SET resubmit_deadline = @due WHERE id = @submissionId",
            new { due = UtcTimestamp.ToText(due), submissionId }, transaction);
        await InsertAsync(connection, transaction, DeadlineKinds.Resubmission, submissionId, due, time.GetUtcNow());
        return due;
    }

    /// <summary>
    /// An upload that now awaits the studio's review, uploaded at <paramref name="uploadedAt"/>: a
    /// warning at Deadlines:ReviewSlaWarningAfter and an escalation at Campaign:ReviewSla.
    /// </summary>
    public async Task AddReviewSlaAsync(SqliteConnection connection, SqliteTransaction transaction, long submissionId, DateTimeOffset uploadedAt)
    {
        await InsertAsync(connection, transaction, DeadlineKinds.ReviewSlaWarning, submissionId, uploadedAt + deadlines.Value.ReviewSlaWarningAfter, time.GetUtcNow());
        await InsertAsync(connection, transaction, DeadlineKinds.ReviewSlaEscalation, submissionId, uploadedAt + campaign.Value.ReviewSla, time.GetUtcNow());
    }

    /// <summary>
    /// A new upload by the student: every pending deadline of the student's older submissions is
    /// cancelled (the resubmission clock stops, reviews of a replaced photo are moot).
    /// </summary>
    public Task<int> CancelForNewUploadAsync(SqliteConnection connection, SqliteTransaction transaction, long studentId, long newSubmissionId) =>
        connection.ExecuteAsync(
            """
            UPDATE deadlines SET state = 'cancelled', closed_at = @now, outcome = 'newer upload ' || @newSubmissionId
            WHERE state = 'pending'
              AND submission_id IN (SELECT id FROM submissions WHERE student_id = @studentId AND id <> @newSubmissionId)
            """, new { now = UtcTimestamp.ToText(time.GetUtcNow()), studentId, newSubmissionId }, transaction);

    /// <summary>The studio decided (approve or reject): the review SLA of that submission is met.</summary>
    public Task<int> CloseReviewSlaAsync(SqliteConnection connection, SqliteTransaction transaction, long submissionId) =>
        connection.ExecuteAsync(
            """
            UPDATE deadlines SET state = 'cancelled', closed_at = @now, outcome = 'reviewed'
            WHERE state = 'pending' AND submission_id = @submissionId AND kind IN ('review_sla_warning', 'review_sla_escalation')
            """, new { now = UtcTimestamp.ToText(time.GetUtcNow()), submissionId }, transaction);

    /// <summary>
    /// For intake: why a new upload of this student must be refused because the resubmission period
    /// ran out (视为没拍), or null when nothing stands in the way. Asks the status machine.
    /// </summary>
    public static async Task<string?> LateResubmissionRefusalAsync(SqliteConnection connection, SqliteTransaction? transaction, long studentId,
        DateTimeOffset now, CampaignClock clock)
    {
        var latest = await connection.QuerySingleOrDefaultAsync<(string State, string? Deadline)>(
            "SELECT state, resubmit_deadline FROM submissions WHERE student_id = @studentId ORDER BY id DESC LIMIT 1",
            new { studentId }, transaction);
        if (latest.State is null) return null;
        var status = StudentStatusMachine.Decide(true,
            new LatestSubmission(SubmissionStates.Parse(latest.State), latest.Deadline is null ? null : UtcTimestamp.Parse(latest.Deadline)), now);
        if (status != StudentStatus.Expired) return null;
        var deadline = latest.Deadline is null ? "" : clock.Format(UtcTimestamp.Parse(latest.Deadline));
        return $"重新上传期限已过（{deadline}），视为未拍摄，不再接收。 The resubmission deadline ({deadline}) has passed; the student counts as not photographed and the upload is refused.";
    }

    internal static Task<int> InsertAsync(SqliteConnection connection, SqliteTransaction transaction, string kind, long submissionId,
        DateTimeOffset due, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO deadlines (kind, submission_id, due_at, created_at) VALUES (@kind, @submissionId, @due, @now)
            ON CONFLICT (kind, submission_id) DO NOTHING
            """,
            new { kind, submissionId, due = UtcTimestamp.ToText(due), now = UtcTimestamp.ToText(now) }, transaction);
}
