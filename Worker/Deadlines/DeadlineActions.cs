using System.Data.Common;
using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Deadlines;

/// <summary>
/// What happens when a deadline comes due. Re-reads the store and acts only if the condition still
/// holds, all in one transaction (state change, audit row, outbox notices, the deadline closed), so
/// a re-run after a crash or a duplicate firing changes nothing and sends nothing twice.
/// </summary>
public sealed class DeadlineActions(
    Database database,
    SubmissionLedger ledger,
    IOutbox outbox,
    CampaignClock clock,
    IOptions<RecipientsOptions> notifications,
    IOptions<CampaignOptions> campaign,
    TimeProvider time,
    ILogger<DeadlineActions> logger)
{
    public const string Actor = "deadlines";

    public async Task<string> RunAsync(long deadlineId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await connection.BeginTransactionAsync(ct);
        var d = await connection.QuerySingleOrDefaultAsync<Row>(
            $"""
            SELECT d.id, d.kind, d.submission_id, d.due_at, d.state, s.state AS submission_state, s.student_id, s.received_at,
                   s.state_changed_at, {SubmissionLedger.CurrentIdOf("s.student_id")} AS latest_id,
                   st.name, st.student_number, st.class_name, st.teacher_name, st.teacher_email
            FROM deadlines d
            JOIN submissions s ON s.id = d.submission_id
            JOIN students st ON st.id = s.student_id
            WHERE d.id = @deadlineId
            """, new { deadlineId }, tx);
        if (d is null) return "unknown deadline";
        if (d.state != "pending") return $"already {d.state}";
        var now = time.GetUtcNow();
        var due = UtcTimestamp.Parse(d.due_at);
        // A trigger never fires early; if one did (a clock stepped back), the planner fires it again later.
        if (now < due) return "not yet due";

        var submissionState = SubmissionStates.Parse(d.submission_state);
        var current = d.latest_id == d.submission_id;
        string outcome;
        bool acted;
        switch (d.kind)
        {
            case DeadlineKinds.Resubmission:
                acted = current && SubmissionTransitions.Allows(submissionState, SubmissionEventKind.Expired);
                outcome = acted ? "expired" : current ? $"submission is {d.submission_state}" : $"newer upload {d.latest_id}";
                if (acted) await ExpireAsync(connection, tx, d, due, now);
                break;
            case DeadlineKinds.ReviewSlaWarning:
            case DeadlineKinds.ReviewSlaEscalation:
                acted = current && submissionState == SubmissionState.AwaitingReview;
                outcome = acted ? d.kind == DeadlineKinds.ReviewSlaWarning ? "studio warned" : "escalated" :
                    current ? $"submission is {d.submission_state}" : $"newer upload {d.latest_id}";
                if (acted) await ReviewOverdueAsync(connection, tx, d, now, escalate: d.kind == DeadlineKinds.ReviewSlaEscalation);
                break;
            default:
                throw new InvalidOperationException($"Unknown deadline kind '{d.kind}' in deadline {d.id}.");
        }

        await connection.ExecuteAsync(
            "UPDATE deadlines SET state = @state, closed_at = @now, outcome = @outcome WHERE id = @id AND state = 'pending'",
            new { state = acted ? "done" : "cancelled", now = UtcTimestamp.ToText(now), outcome, id = d.id }, tx);
        if (d.kind == DeadlineKinds.Resubmission) await RequestExportIfLastAsync(connection, tx, now);
        await tx.CommitAsync(ct);
        logger.LogInformation("Deadline {DeadlineId} ({Kind}) of submission {SubmissionId} due {Due}: {Outcome}",
            d.id, d.kind, d.submission_id, clock.Format(due), outcome);
        return outcome;
    }

    /// <summary>
    /// Once the window is over and no resubmission deadline is pending any more (the last chance to be
    /// approved has passed), asks the export stage for an automatic export (a row in export_requests).
    /// </summary>
    public async Task<bool> RequestExportIfLastAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await connection.BeginTransactionAsync(ct);
        var requested = await RequestExportIfLastAsync(connection, tx, time.GetUtcNow());
        await tx.CommitAsync(ct);
        return requested;
    }

    private async Task<bool> RequestExportIfLastAsync(DbConnection c, DbTransaction tx, DateTimeOffset now)
    {
        if (now < campaign.Value.UploadEnd) return false;
        var pending = await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM deadlines WHERE kind = 'resubmission' AND state = 'pending')", transaction: tx);
        if (pending) return false;
        await ExportRequests.AddAsync(c, tx, "last resubmission deadline passed", Actor, now);
        return true;
    }

    private async Task ExpireAsync(DbConnection c, DbTransaction tx, Row d, DateTimeOffset due, DateTimeOffset now)
    {
        var data = new
        {
            SubmissionId = d.submission_id, StudentName = d.name, StudentNumber = d.student_number, ClassName = d.class_name, TeacherName = d.teacher_name,
            RejectedAt = clock.Format(UtcTimestamp.Parse(d.state_changed_at)), Deadline = clock.Format(due), ExpiredAt = clock.Format(now),
        };
        List<OutboxMessage> notify = [new($"expired:{d.submission_id}:teacher", "expiry-notice", d.teacher_email, d.teacher_name, data)];
        notify.AddRange(notifications.Value.AdminEmails.Select(admin =>
            new OutboxMessage($"expired:{d.submission_id}:admin:{admin.ToLowerInvariant()}", "expiry-notice", admin, "", data)));
        await ledger.ApplyAsync(c, tx, d.submission_id, new SubmissionEvent.Expired(Actor,
            new { d.student_number, deadline = clock.Format(due), rejected_at = clock.Format(UtcTimestamp.Parse(d.state_changed_at)) }, notify));
    }

    private async Task ReviewOverdueAsync(DbConnection c, DbTransaction tx, Row d, DateTimeOffset now, bool escalate)
    {
        var uploaded = UtcTimestamp.Parse(d.received_at);
        var data = new
        {
            StudentName = d.name, StudentNumber = d.student_number, ClassName = d.class_name, SubmissionId = d.submission_id,
            UploadedAt = clock.Format(uploaded), HoursWaiting = Math.Round((now - uploaded).TotalHours, 1), Escalated = escalate,
        };
        var template = escalate ? "review-sla-escalation" : "review-sla-warning";
        var prefix = escalate ? "sla-escalation" : "sla-warning";
        var studio = notifications.Value.StudioEmail;
        if (studio.Length > 0)
            await outbox.EnqueueAsync(c, tx, new OutboxMessage($"{prefix}:{d.submission_id}:studio", template, studio, "", data));
        if (escalate)
        {
            foreach (var admin in notifications.Value.AdminEmails)
                await outbox.EnqueueAsync(c, tx, new OutboxMessage($"{prefix}:{d.submission_id}:admin:{admin.ToLowerInvariant()}", template, admin, "", data));
            await AuditAsync(c, tx, now, "review overdue", d.submission_id, new { d.student_number, uploaded_at = clock.Format(uploaded) });
        }
    }

    private static Task AuditAsync(DbConnection c, DbTransaction tx, DateTimeOffset now, string action, long submissionId, object detail) =>
        AuditLog.WriteAsync(c, tx, now, Actor, action, $"submission:{submissionId}", detail);

    private sealed record Row(long id, string kind, long submission_id, string due_at, string state, string submission_state, long student_id,
        string received_at, string state_changed_at, long latest_id, string name, string student_number, string class_name,
        string teacher_name, string teacher_email);
}
