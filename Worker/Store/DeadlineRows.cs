using System.Data.Common;
using CollectionWorker.Campaign;
using CollectionWorker.Deadlines;
using Dapper;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Store;

/// <summary>The kinds of deadline, as stored in <c>deadlines.kind</c>.</summary>
public static class DeadlineKinds
{
    public const string ReviewSlaWarning = "review_sla_warning";
    public const string ReviewSlaEscalation = "review_sla_escalation";
    public const string Resubmission = "resubmission";
}

/// <summary>
/// Deadline rows requested by the ledger's transitions, written in the transaction of the change
/// that starts or stops the clock. The deadlines stage picks pending rows up (within
/// Deadlines:PlanEvery), schedules them and closes them when they fire; nobody calls the scheduler
/// directly. Adding the same deadline twice is a no-op, so a re-run is harmless.
/// </summary>
public sealed class DeadlineRows(IOptions<CampaignOptions> campaign, IOptions<DeadlinesOptions> deadlines, TimeProvider time)
{
    /// <summary>When a student rejected at <paramref name="decidedAt"/> must have uploaded again (Campaign:ResubmissionPeriod).</summary>
    public DateTimeOffset ResubmissionDue(DateTimeOffset decidedAt) => decidedAt + campaign.Value.ResubmissionPeriod;

    public Task<int> AddResubmissionAsync(DbConnection connection, DbTransaction transaction, long submissionId, DateTimeOffset due) =>
        InsertAsync(connection, transaction, DeadlineKinds.Resubmission, submissionId, due, time.GetUtcNow());

    /// <summary>
    /// An upload that now awaits the studio's review, uploaded at <paramref name="uploadedAt"/>: a
    /// warning at Deadlines:ReviewSlaWarningAfter and an escalation at Campaign:ReviewSla.
    /// </summary>
    public async Task AddReviewSlaAsync(DbConnection connection, DbTransaction transaction, long submissionId, DateTimeOffset uploadedAt)
    {
        await InsertAsync(connection, transaction, DeadlineKinds.ReviewSlaWarning, submissionId, uploadedAt + deadlines.Value.ReviewSlaWarningAfter, time.GetUtcNow());
        await InsertAsync(connection, transaction, DeadlineKinds.ReviewSlaEscalation, submissionId, uploadedAt + campaign.Value.ReviewSla, time.GetUtcNow());
    }

    /// <summary>Cancels the submission's pending deadlines of the given kinds (all kinds when none are given), saying why.</summary>
    public Task<int> CancelPendingAsync(DbConnection connection, DbTransaction transaction, long submissionId, string outcome,
        params string[] kinds) =>
        connection.ExecuteAsync(
            $"""
            UPDATE deadlines SET state = 'cancelled', closed_at = @now, outcome = @outcome
            WHERE state = 'pending' AND submission_id = @submissionId {(kinds.Length > 0 ? "AND kind IN @kinds" : "")}
            """, new { now = UtcTimestamp.ToText(time.GetUtcNow()), outcome, submissionId, kinds }, transaction);

    /// <summary>The studio decided: the review SLA of that submission is met.</summary>
    public Task<int> CloseReviewSlaAsync(DbConnection connection, DbTransaction transaction, long submissionId) =>
        CancelPendingAsync(connection, transaction, submissionId, "reviewed", DeadlineKinds.ReviewSlaWarning, DeadlineKinds.ReviewSlaEscalation);

    internal static Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, string kind, long submissionId,
        DateTimeOffset due, DateTimeOffset now) =>
        connection.ExecuteAsync(
            """
            INSERT INTO deadlines (kind, submission_id, due_at, created_at) VALUES (@kind, @submissionId, @due, @now)
            ON CONFLICT (kind, submission_id) DO NOTHING
            """,
            new { kind, submissionId, due = UtcTimestamp.ToText(due), now = UtcTimestamp.ToText(now) }, transaction);
}
