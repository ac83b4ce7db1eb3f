using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using CollectionWorker.Campaign;
using Dapper;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Store;

/// <summary>A new upload as intake hands it over: matched, archived, its window stamp and first state decided.</summary>
public sealed record NewSubmission(long StudentId, string Sha256, string OriginalName, long SizeBytes, DateTimeOffset ReceivedAt,
    string WindowStamp, SubmissionState State);

/// <summary>A submission the ledger recorded, with the older ones it superseded.</summary>
public sealed record ReceivedSubmission(long Id, int Attempt, IReadOnlyList<long> SupersededIds);

/// <summary>The current submission of a student: the newest one (every older one is superseded when it arrives).</summary>
public sealed record CurrentSubmission(long Id, SubmissionState State, DateTimeOffset? ResubmitDeadline)
{
    public LatestSubmission AsLatest => new(State, ResubmitDeadline);
}

/// <summary>
/// The submission ledger: the one writer of the <c>submissions</c> table. Stages ask for events
/// (<see cref="SubmissionEvent"/>); the ledger checks each against the row's real state through
/// <see cref="SubmissionTransitions"/>, moves it (<c>UPDATE … WHERE state = @from</c>), and in the
/// caller's transaction writes the audit row, the deadline rows the transition starts or stops, and
/// the e-mails the caller asked for. A refused transition throws
/// <see cref="SubmissionTransitionRefusedException"/>; it is never a silent no-op. Where the roster has the
/// student's own address, the ledger also tells the student (<see cref="StudentNotices"/>).
/// </summary>
public sealed class SubmissionLedger(DeadlineRows deadlines, IOutbox outbox, CampaignClock clock, TimeProvider time,
    IOptions<RecipientsOptions>? recipients = null)
{
    /// <summary>SQL for the id of a student's current submission; <paramref name="studentId"/> is the SQL expression naming the student.</summary>
    public static string CurrentIdOf(string studentId) => $"(SELECT max(id) FROM submissions WHERE student_id = {studentId})";

    public static async Task<CurrentSubmission?> CurrentAsync(DbConnection connection, DbTransaction? transaction, long studentId)
    {
        var r = await connection.QuerySingleOrDefaultAsync<CurrentRow>(
            $"SELECT id, state, resubmit_deadline FROM submissions WHERE id = {CurrentIdOf("@studentId")}", new { studentId }, transaction);
        return r is null ? null
            : new CurrentSubmission(r.id, SubmissionStates.Parse(r.state), r.resubmit_deadline is null ? null : UtcTimestamp.Parse(r.resubmit_deadline));
    }

    /// <summary>
    /// Records a new upload (the event "received") and supersedes the student's current submission,
    /// which stops its clocks. The archive copy must already be on disk.
    /// </summary>
    public async Task<ReceivedSubmission> ReceiveAsync(DbConnection connection, DbTransaction transaction, NewSubmission s, string actor)
    {
        if (s.State is not (SubmissionState.Held or SubmissionState.AwaitingInspection))
            throw new ArgumentException($"A new submission starts held or awaiting inspection, not {SubmissionStates.ToText(s.State)}.", nameof(s));
        var now = time.GetUtcNow();
        // One student's uploads are received one at a time, also across nodes sharing a PostgreSQL store: this
        // no-op update holds the student's row until commit (SQLite's writer lock already does), so two nodes
        // taking two photos of the same student never both leave theirs current.
        await connection.ExecuteAsync("UPDATE students SET updated_at = updated_at WHERE id = @StudentId", new { s.StudentId }, transaction);
        var older = (await connection.QueryAsync<long>(
            "SELECT id FROM submissions WHERE student_id = @StudentId AND state <> 'superseded' ORDER BY id", new { s.StudentId }, transaction)).ToList();
        var attempt = await connection.ExecuteScalarAsync<int>(
            "SELECT coalesce(max(attempt), 0) + 1 FROM submissions WHERE student_id = @StudentId", new { s.StudentId }, transaction);
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at)
            VALUES (@StudentId, @attempt, @Sha256, @OriginalName, @SizeBytes, @received, @WindowStamp, @state, @now)
            RETURNING id
            """,
            new
            {
                s.StudentId, attempt, s.Sha256, s.OriginalName, s.SizeBytes, received = UtcTimestamp.ToText(s.ReceivedAt), s.WindowStamp,
                state = SubmissionStates.ToText(s.State), now = UtcTimestamp.ToText(now),
            }, transaction);
        foreach (var old in older)
            await ApplyAsync(connection, transaction, old, new SubmissionEvent.Superseded(actor, id));
        var student = await connection.QuerySingleAsync<StudentContact>(
            "SELECT name, student_email FROM students WHERE id = @StudentId", new { s.StudentId }, transaction);
        if (WritesTo(student.student_email) is { } email)
            await outbox.EnqueueAsync(connection, transaction,
                StudentNotices.Received(id, attempt, email, student.name, s.ReceivedAt, s.WindowStamp, s.State));
        await AuditLog.WriteAsync(connection, transaction, now, actor, "submission received", Subject(id), new
        {
            attempt, sha256 = s.Sha256, original_name = s.OriginalName, window = s.WindowStamp, to = SubmissionStates.ToText(s.State),
            superseded = older,
        });
        return new ReceivedSubmission(id, attempt, older);
    }

    /// <summary>
    /// Applies <paramref name="e"/> to submission <paramref name="submissionId"/> inside the caller's
    /// transaction and returns the state it moved to. Throws <see cref="SubmissionTransitionRefusedException"/>
    /// when the event does not apply to the row's real state.
    /// </summary>
    public async Task<AppliedTransition> ApplyAsync(DbConnection connection, DbTransaction transaction, long submissionId, SubmissionEvent e)
    {
        var row = await connection.QuerySingleOrDefaultAsync<SubmissionRow>(
            """
            SELECT sub.state, sub.received_at, st.student_number, st.name, st.student_email
            FROM submissions sub JOIN students st ON st.id = sub.student_id WHERE sub.id = @submissionId
            """, new { submissionId }, transaction);
        if (row is null) throw new SubmissionTransitionRefusedException(submissionId, "?", null, e.Kind);
        var from = SubmissionStates.Parse(row.state);
        var to = SubmissionTransitions.Next(from, e.Kind) ?? throw new SubmissionTransitionRefusedException(submissionId, row.student_number, from, e.Kind);

        var now = time.GetUtcNow();
        DateTimeOffset? resubmitBy = to == SubmissionState.Rejected ? deadlines.ResubmissionDue(now) : null;
        var (set, values) = e switch
        {
            SubmissionEvent.Inspected i => (
                "verdict = @verdict, evidence_file = @evidence, reasons_zh = @zh, reasons_en = @en, decided_by = @decidedBy, resubmit_deadline = @resubmitBy",
                (object)new
                {
                    verdict = i.Verdict, evidence = i.EvidenceFile, zh = i.Rejects ? i.ReasonsZh : null, en = i.Rejects ? i.ReasonsEn : null,
                    decidedBy = i.Rejects ? i.Actor : null, resubmitBy = Text(resubmitBy),
                }),
            SubmissionEvent.Decided d => (
                "decided_by = @decidedBy, reasons_zh = @zh, reasons_en = @en, resubmit_deadline = @resubmitBy",
                new { decidedBy = d.Actor, zh = d.Approves ? null : d.ReasonsZh, en = d.Approves ? null : d.ReasonsEn, resubmitBy = Text(resubmitBy) }),
            SubmissionEvent.Overturned o => (
                "decided_by = @decidedBy, reasons_zh = NULL, reasons_en = NULL, resubmit_deadline = NULL", new { decidedBy = o.Actor }),
            _ => ("", new { }),
        };
        var parameters = new DynamicParameters(values);
        parameters.AddDynamicParams(new { submissionId, from = row.state, to = SubmissionStates.ToText(to), now = UtcTimestamp.ToText(now) });
        var moved = await connection.ExecuteAsync(
            $"UPDATE submissions SET state = @to, state_changed_at = @now{(set.Length > 0 ? ", " + set : "")} WHERE id = @submissionId AND state = @from",
            parameters, transaction);
        if (moved != 1) throw new SubmissionTransitionRefusedException(submissionId, row.student_number, from, e.Kind);

        await ApplyClocksAsync(connection, transaction, submissionId, e, to, resubmitBy, UtcTimestamp.Parse(row.received_at));
        foreach (var message in e.Notify ?? [])
            await outbox.EnqueueAsync(connection, transaction, message);
        if (WritesTo(row.student_email) is { } email && StudentNotices.For(submissionId, e, from, to, resubmitBy, email, row.name) is { } notice)
            await outbox.EnqueueAsync(connection, transaction, notice);
        await AuditLog.WriteAsync(connection, transaction, now, e.Actor, e.AuditAction, Subject(submissionId),
            AuditDetail(e.AuditDetail, from, to, resubmitBy));
        return new AppliedTransition(from, to, resubmitBy);
    }

    /// <summary>The deadlines a transition starts or stops.</summary>
    private async Task ApplyClocksAsync(DbConnection c, DbTransaction tx, long submissionId, SubmissionEvent e, SubmissionState to,
        DateTimeOffset? resubmitBy, DateTimeOffset receivedAt)
    {
        switch (e.Kind)
        {
            case SubmissionEventKind.InspectedForReview:
                // The studio's 48 hours run from the upload, not from the inspection.
                await deadlines.AddReviewSlaAsync(c, tx, submissionId, receivedAt);
                break;
            case SubmissionEventKind.Approved or SubmissionEventKind.Rejected:
                await deadlines.CloseReviewSlaAsync(c, tx, submissionId);
                break;
            case SubmissionEventKind.Overturned:
                // The rejection no longer holds: its resubmission clock stops.
                await deadlines.CloseReviewSlaAsync(c, tx, submissionId);
                await deadlines.CancelPendingAsync(c, tx, submissionId, "overturned by the studio", DeadlineKinds.Resubmission);
                break;
            case SubmissionEventKind.Superseded when e is SubmissionEvent.Superseded s:
                // The new upload stops the old one's clocks (resubmission deadline, review SLA) in the same commit.
                await deadlines.CancelPendingAsync(c, tx, submissionId, $"newer upload {s.BySubmissionId}");
                break;
        }
        if (to == SubmissionState.Rejected && resubmitBy is { } due)
            await deadlines.AddResubmissionAsync(c, tx, submissionId, due);
    }

    /// <summary>
    /// Moves every held (early) submission on to inspection: the upload window has opened. One
    /// statement for all of them, with an audit row each. Returns how many moved.
    /// </summary>
    public async Task<int> ReleaseHeldAsync(DbConnection connection, DbTransaction transaction, string actor)
    {
        var held = (await connection.QueryAsync<long>("SELECT id FROM submissions WHERE state = 'held' ORDER BY id", transaction: transaction)).ToList();
        foreach (var id in held)
            await ApplyAsync(connection, transaction, id, new SubmissionEvent.Released(actor));
        return held.Count;
    }

    /// <summary>
    /// Personal data out of every submission (the purge after the export): the uploaded file names (often
    /// an ID number) and the evidence images' paths. States stay. Returns how many rows changed.
    /// </summary>
    public static Task<int> PurgeFileNamesAsync(DbConnection connection, DbTransaction transaction) =>
        connection.ExecuteAsync(
            "UPDATE submissions SET original_name = '(purged)', evidence_file = NULL WHERE original_name <> '(purged)'", transaction: transaction);

    private object AuditDetail(object? detail, SubmissionState from, SubmissionState to, DateTimeOffset? resubmitBy)
    {
        var node = detail is null ? new JsonObject() : JsonSerializer.SerializeToNode(detail, AuditLog.Json) as JsonObject ?? new JsonObject();
        node["from"] = SubmissionStates.ToText(from);
        node["to"] = SubmissionStates.ToText(to);
        if (resubmitBy is { } d) node["resubmit_deadline"] = clock.Format(d);
        return node;
    }

    /// <summary>The student's address when students are written to (Notifications:StudentEmails) and the roster has one.</summary>
    private string? WritesTo(string? studentEmail) =>
        (recipients?.Value.StudentEmails ?? true) && !string.IsNullOrWhiteSpace(studentEmail) ? studentEmail : null;

    private static string Subject(long submissionId) => $"submission:{submissionId}";
    private static string? Text(DateTimeOffset? t) => t is { } v ? UtcTimestamp.ToText(v) : null;

    private sealed record CurrentRow(long id, string state, string? resubmit_deadline);
    private sealed record SubmissionRow(string state, string received_at, string student_number, string name, string? student_email);
    private sealed record StudentContact(string name, string? student_email);
}

/// <summary>What the ledger did: from which state to which, and the resubmission deadline a rejection started.</summary>
public sealed record AppliedTransition(SubmissionState From, SubmissionState To, DateTimeOffset? ResubmitDeadline);
