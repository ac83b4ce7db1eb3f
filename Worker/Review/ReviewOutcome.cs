namespace CollectionWorker.Review;

/// <summary>What became of one row of a returned sheet. The text form is what receipts and the audit log show.</summary>
public enum ReviewOutcomeKind
{
    /// <summary>Approved: the photo goes to the national record.</summary>
    Approved,
    /// <summary>Rejected with reasons: the resubmission clock runs and the teacher is told.</summary>
    Rejected,
    /// <summary>An automatic rejection overturned: the photo is approved.</summary>
    Overturned,
    /// <summary>An automatic rejection confirmed: nothing changes.</summary>
    Confirmed,
    /// <summary>No decision on the row: the submission stays pending.</summary>
    Blank,
    /// <summary>The same decision was already applied (this sheet again, or another reviewer agreeing).</summary>
    AlreadyDecided,
    /// <summary>A newer upload replaced the submission; the row is ignored.</summary>
    Stale,
    /// <summary>The submission was already decided the other way; the first decision stands.</summary>
    Conflict,
    UnknownDecision,
    MissingReason,
    UnknownReason,
    UnknownKey,
    /// <summary>The key names a submission whose photo hash is not the one on the row.</summary>
    Tampered,
    /// <summary>The submission is in a state no review decision applies to (e.g. expired).</summary>
    NotReviewable,
    /// <summary>An approval of a photo that is not a 480x640 colour JPEG (a hard standard): refused.</summary>
    BelowStandard,
}

/// <summary>One row's outcome, for the receipt, the audit log and the verb's summary.</summary>
public sealed record ReviewRowOutcome(ReviewSheetRow Row, ReviewOutcomeKind Kind, string MessageZh, string MessageEn, long? SubmissionId = null,
    DateTimeOffset? ResubmitDeadline = null)
{
    public string Code => ReviewOutcomes.Code(Kind);
    public string Message => $"{MessageZh} / {MessageEn}";
}

public static class ReviewOutcomes
{
    public static string Code(ReviewOutcomeKind kind) => kind switch
    {
        ReviewOutcomeKind.Approved => "approved",
        ReviewOutcomeKind.Rejected => "rejected",
        ReviewOutcomeKind.Overturned => "overturned",
        ReviewOutcomeKind.Confirmed => "confirmed",
        ReviewOutcomeKind.Blank => "blank",
        ReviewOutcomeKind.AlreadyDecided => "already-decided",
        ReviewOutcomeKind.Stale => "stale",
        ReviewOutcomeKind.Conflict => "conflict",
        ReviewOutcomeKind.UnknownDecision => "unknown-decision",
        ReviewOutcomeKind.MissingReason => "missing-reason",
        ReviewOutcomeKind.UnknownReason => "unknown-reason",
        ReviewOutcomeKind.UnknownKey => "unknown-key",
        ReviewOutcomeKind.Tampered => "tampered",
        ReviewOutcomeKind.NotReviewable => "not-reviewable",
        ReviewOutcomeKind.BelowStandard => "below-standard",
        _ => kind.ToString(),
    };

    /// <summary>The decision took effect (or was a confirmation that needs no change).</summary>
    public static bool IsApplied(ReviewOutcomeKind kind) =>
        kind is ReviewOutcomeKind.Approved or ReviewOutcomeKind.Rejected or ReviewOutcomeKind.Overturned or ReviewOutcomeKind.Confirmed;

    /// <summary>Nothing to do, and nothing wrong with the row.</summary>
    public static bool IsIgnored(ReviewOutcomeKind kind) =>
        kind is ReviewOutcomeKind.Blank or ReviewOutcomeKind.AlreadyDecided or ReviewOutcomeKind.Stale;

    /// <summary>The row needs the studio's or the admin's attention (a conflict included: someone decided otherwise).</summary>
    public static bool NeedsAttention(ReviewOutcomeKind kind) => !IsApplied(kind) && !IsIgnored(kind);
}
