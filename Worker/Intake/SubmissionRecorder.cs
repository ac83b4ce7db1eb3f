using System.Data.Common;
using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Intake;

/// <summary>Where an upload falls against the campaign's upload window; stored as the text in <see cref="Text"/>.</summary>
public enum WindowStamp { Early, InWindow, Late }

/// <summary>What the store says about one matched upload.</summary>
public abstract record IntakeDecision
{
    /// <summary>Take it in as a new submission in this state.</summary>
    public sealed record Accept(WindowStamp Stamp, SubmissionState State) : IntakeDecision;

    /// <summary>These bytes are the student's current submission already (re-delivery, or a restart after the commit).</summary>
    public sealed record AlreadyRecorded(long SubmissionId, int Attempt) : IntakeDecision;

    /// <summary>Not taken: kept aside in refused/ with the reason.</summary>
    public sealed record Refuse(string Code, string ReasonZh, string ReasonEn) : IntakeDecision;
}

/// <summary>A submission committed by <see cref="SubmissionRecorder.RecordAsync"/>.</summary>
/// <param name="SamePhotoCount">other students the same photo was uploaded for</param>
/// <param name="SamePhotoFirst">the first few of their student numbers (at most <see cref="SamePhotoGroups.NamedNumbers"/>)</param>
public sealed record RecordedSubmission(long Id, int Attempt, WindowStamp Stamp, SubmissionState State,
    IReadOnlyList<long> SupersededIds, int SamePhotoCount, IReadOnlyList<string> SamePhotoFirst);

/// <summary>
/// Decides, through the status machine and the window policy, whether a matched upload becomes a
/// submission, and records it: earlier submissions superseded and the new row, in one transaction.
/// </summary>
public sealed class SubmissionRecorder(Database database, IOptions<IntakeOptions> intakeOptions, IOptions<CampaignOptions> campaignOptions,
    CampaignClock clock, SubmissionLedger ledger)
{
    /// <summary>The per-pair flag rows earlier versions wrote into submission_flags; now shown from <see cref="SamePhotoGroups"/> instead.</summary>
    public const string SamePhotoFlag = "SAME_PHOTO_OTHER_STUDENT";
    public const string LateCode = "LATE";
    public const string EarlyCode = "EARLY";
    public const string ExpiredCode = "RESUBMISSION_EXPIRED";
    public const string NotEligibleCode = "NOT_ELIGIBLE";
    /// <summary>The audit rows' actor for what intake records.</summary>
    public const string Actor = "intake";

    public static string Text(WindowStamp s) => s switch
    {
        WindowStamp.Early => "early",
        WindowStamp.InWindow => "in_window",
        WindowStamp.Late => "late",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s, null),
    };

    public WindowStamp StampOf(DateTimeOffset receivedAt)
    {
        var c = campaignOptions.Value;
        return receivedAt < c.UploadStart ? WindowStamp.Early : receivedAt >= c.UploadEnd ? WindowStamp.Late : WindowStamp.InWindow;
    }

    /// <summary>The decision as the store stands, without writing anything (lets the caller skip archiving refused files).</summary>
    public async Task<IntakeDecision> DecideAsync(IntakeStudent student, string sha256, DateTimeOffset receivedAt, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await DecideAsync(connection, null, student, sha256, receivedAt);
    }

    /// <summary>
    /// Decides again inside one write transaction and, when accepted, records the submission. The
    /// archive copy must already be on disk: a committed row always points at archived bytes.
    /// </summary>
    public async Task<(IntakeDecision Decision, RecordedSubmission? Recorded)> RecordAsync(IntakeStudent student, string sha256,
        string originalName, long size, DateTimeOffset receivedAt, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await connection.BeginTransactionAsync(ct);
        var decision = await DecideAsync(connection, tx, student, sha256, receivedAt);
        if (decision is not IntakeDecision.Accept accept) return (decision, null);

        var now = UtcTimestamp.ToText(clock.UtcNow);
        var received = await ledger.ReceiveAsync(connection, tx,
            new NewSubmission(student.Id, sha256, originalName, size, receivedAt, Text(accept.Stamp), accept.State), Actor);
        var submissionId = received.Id;

        // The same photo for other students is found by its hash when shown (SamePhotoGroups); here only
        // how many, and the first few numbers for the log: no row per pair, so the cost stays linear.
        var sameCount = await connection.ExecuteScalarAsync<int>(
            "SELECT count(DISTINCT student_id) FROM submissions WHERE sha256 = @sha256 AND student_id <> @sid", new { sha256, sid = student.Id }, tx);
        var sameFirst = sameCount == 0 ? [] : (await connection.QueryAsync<string>(
            """
            SELECT s.student_number FROM submissions sub JOIN students s ON s.id = sub.student_id
            WHERE sub.sha256 = @sha256 AND sub.student_id <> @sid GROUP BY sub.student_id, s.student_number ORDER BY min(sub.id) LIMIT @n
            """, new { sha256, sid = student.Id, n = SamePhotoGroups.NamedNumbers }, tx)).ToList();

        await tx.CommitAsync(ct);
        return (decision, new RecordedSubmission(submissionId, received.Attempt, accept.Stamp, accept.State, received.SupersededIds, sameCount, sameFirst));
    }

    private async Task<IntakeDecision> DecideAsync(DbConnection connection, DbTransaction? tx, IntakeStudent student, string sha256,
        DateTimeOffset receivedAt)
    {
        if (!student.Eligible)
            return new IntakeDecision.Refuse(NotEligibleCode,
                $"学号 {student.StudentNumber}（{student.Name}）不在本次采集对象范围内（not in this campaign's cohorts）",
                $"student {student.StudentNumber} ({student.Name}) is not in this campaign's cohorts");

        // Only the current submission's bytes are "already recorded": an older photo sent again after a
        // newer one is the student's choice and becomes the current submission again (a new row).
        var same = await connection.QueryFirstOrDefaultAsync<(long Id, int Attempt)?>(
            $"SELECT id, attempt FROM submissions WHERE id = {SubmissionLedger.CurrentIdOf("@sid")} AND sha256 = @sha256", new { sid = student.Id, sha256 }, tx);
        if (same is { } s) return new IntakeDecision.AlreadyRecorded(s.Id, s.Attempt);

        var current = (await SubmissionLedger.CurrentAsync(connection, tx, student.Id))?.AsLatest;

        if (StudentStatusMachine.Decide(true, current, receivedAt) == StudentStatus.Expired)
        {
            var when = current?.ResubmitDeadline is { } d ? clock.Format(d) : "—";
            return new IntakeDecision.Refuse(ExpiredCode,
                $"重新上传期限已于 {when} 结束，按规定视为没拍，不再接收",
                $"the resubmission period ended at {when}; the student counts as not photographed and no upload is taken");
        }
        if (current is { } cur && !SubmissionTransitions.Allows(cur.State, SubmissionEventKind.Superseded))
            return new IntakeDecision.Refuse(ExpiredCode,
                $"该学生当前的照片状态（{SubmissionStates.ToText(cur.State)}）不允许再提交",
                $"the student's current submission ({SubmissionStates.ToText(cur.State)}) does not allow a new upload");

        var resubmitting = current is { State: SubmissionState.Rejected, ResubmitDeadline: { } deadline } && receivedAt < deadline;
        var campaign = campaignOptions.Value;
        var policy = intakeOptions.Value;
        var stamp = StampOf(receivedAt);
        switch (stamp)
        {
            case WindowStamp.Early when policy.EarlyPolicy == EarlyUploadPolicy.Refuse && !resubmitting:
                return new IntakeDecision.Refuse(EarlyCode,
                    $"上传窗口尚未开始（{clock.Format(campaign.UploadStart)} 开始）",
                    $"the upload window has not opened yet (opens {clock.Format(campaign.UploadStart)})");
            case WindowStamp.Early when policy.EarlyPolicy == EarlyUploadPolicy.Hold && !resubmitting:
                return new IntakeDecision.Accept(stamp, SubmissionState.Held);
            case WindowStamp.Late when policy.LatePolicy == LateUploadPolicy.RefuseUnlessResubmitting && !resubmitting:
                return new IntakeDecision.Refuse(LateCode,
                    $"上传窗口已于 {clock.Format(campaign.UploadEnd)} 结束，且该学生不在被退回后的重新上传期内",
                    $"the upload window closed at {clock.Format(campaign.UploadEnd)} and the student is not inside a resubmission period after a rejection");
            default:
                return new IntakeDecision.Accept(stamp, SubmissionState.AwaitingInspection);
        }
    }

    /// <summary>Moves held (early) submissions on to inspection once the window is open. Returns how many moved.</summary>
    public async Task<int> ReleaseHeldAsync(CancellationToken ct)
    {
        if (clock.UtcNow < campaignOptions.Value.UploadStart) return 0;
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await connection.BeginTransactionAsync(ct);
        var moved = await ledger.ReleaseHeldAsync(connection, tx, Actor);
        await tx.CommitAsync(ct);
        return moved;
    }
}
