namespace CollectionWorker.Store;

/// <summary>The kinds of event that move a submission, as the ledger's transition table lists them.</summary>
public enum SubmissionEventKind
{
    /// <summary>The upload window opened: a held (early) upload goes on to inspection.</summary>
    Released,
    /// <summary>The automatic inspection ended with accept or review (to the studio).</summary>
    InspectedForReview,
    /// <summary>The automatic inspection rejected the photo.</summary>
    InspectedRejected,
    /// <summary>The studio approved an upload awaiting review.</summary>
    Approved,
    /// <summary>The studio rejected an upload awaiting review.</summary>
    Rejected,
    /// <summary>The studio approved a photo the inspection had rejected.</summary>
    Overturned,
    /// <summary>The resubmission deadline passed with no new upload (视为没拍).</summary>
    Expired,
    /// <summary>A newer upload of the same student replaced it.</summary>
    Superseded,
}

/// <summary>
/// What a stage asks of the ledger. Each event names who caused it (the audit row's actor), what the
/// audit row says, and the e-mails that must go out exactly when the change is committed.
/// </summary>
public abstract record SubmissionEvent(string Actor, object? AuditDetail = null, IReadOnlyList<OutboxMessage>? Notify = null)
{
    public abstract SubmissionEventKind Kind { get; }

    /// <summary>The audit row's action; the words earlier versions wrote, so old and new rows read alike.</summary>
    public abstract string AuditAction { get; }

    public sealed record Released(string Actor) : SubmissionEvent(Actor)
    {
        public override SubmissionEventKind Kind => SubmissionEventKind.Released;
        public override string AuditAction => "submission released";
    }

    /// <summary>The inspection's verdict. A rejection carries its reasons; the studio's 48 hours run from <paramref name="ReceivedAt"/>.</summary>
    public sealed record Inspected(string Actor, string Verdict, bool Rejects, string? ReasonsZh, string? ReasonsEn, string? EvidenceFile,
        object? AuditDetail = null, IReadOnlyList<OutboxMessage>? Notify = null) : SubmissionEvent(Actor, AuditDetail, Notify)
    {
        public override SubmissionEventKind Kind => Rejects ? SubmissionEventKind.InspectedRejected : SubmissionEventKind.InspectedForReview;
        public override string AuditAction => "submission inspected";
    }

    /// <summary>The studio's decision on an upload awaiting review.</summary>
    public sealed record Decided(string Reviewer, bool Approves, string? ReasonsZh = null, string? ReasonsEn = null,
        object? AuditDetail = null, IReadOnlyList<OutboxMessage>? Notify = null) : SubmissionEvent(Reviewer, AuditDetail, Notify)
    {
        public override SubmissionEventKind Kind => Approves ? SubmissionEventKind.Approved : SubmissionEventKind.Rejected;
        public override string AuditAction => Approves ? "review approved" : "review rejected";
    }

    /// <summary>The studio approves a photo the inspection rejected: the rejection and its clock are gone.</summary>
    public sealed record Overturned(string Reviewer, object? AuditDetail = null, IReadOnlyList<OutboxMessage>? Notify = null)
        : SubmissionEvent(Reviewer, AuditDetail, Notify)
    {
        public override SubmissionEventKind Kind => SubmissionEventKind.Overturned;
        public override string AuditAction => "review overturned";
    }

    public sealed record Expired(string Actor, object? AuditDetail = null, IReadOnlyList<OutboxMessage>? Notify = null)
        : SubmissionEvent(Actor, AuditDetail, Notify)
    {
        public override SubmissionEventKind Kind => SubmissionEventKind.Expired;
        public override string AuditAction => "submission expired";
    }

    public sealed record Superseded(string Actor, long BySubmissionId) : SubmissionEvent(Actor, new { by_submission = BySubmissionId })
    {
        public override SubmissionEventKind Kind => SubmissionEventKind.Superseded;
        public override string AuditAction => "submission superseded";
    }
}
