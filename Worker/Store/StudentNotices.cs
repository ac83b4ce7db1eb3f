namespace CollectionWorker.Store;

/// <summary>
/// The e-mails a student gets directly, where the roster has their address: one per submission and
/// kind, so the key (<c>student-rejected:42:student</c>, the submission's id between colons as in every
/// notice about an upload, which `history` finds by it) makes it exactly once. The ledger asks for them in the
/// transition's own transaction, so every way a photo is received, rejected, approved (also when the
/// studio overturns an automatic rejection) or expires tells the student, and a rolled-back change
/// tells nobody. The row carries what the decision said (reasons, deadline); the student's name and
/// the annotated photo are read when the mail is composed.
/// </summary>
public static class StudentNotices
{
    public const string Receipt = "student-receipt";
    public const string Rejected = "student-rejected";
    public const string Approved = "student-approved";
    public const string Expired = "student-expired";

    public static readonly string[] Templates = [Receipt, Rejected, Approved, Expired];

    /// <summary>The receipt for a newly recorded upload.</summary>
    public static OutboxMessage Received(long submissionId, int attempt, string studentEmail, string studentName, DateTimeOffset receivedAt,
        string windowStamp, SubmissionState state) =>
        new($"{Receipt}:{submissionId}:student", Receipt, studentEmail, studentName, new
        {
            SubmissionId = submissionId, Attempt = attempt, ReceivedAt = UtcTimestamp.ToText(receivedAt), Window = windowStamp,
            Held = state == SubmissionState.Held,
        });

    /// <summary>The notice a transition into <paramref name="to"/> gives the student, or null when it gives none.</summary>
    public static OutboxMessage? For(long submissionId, SubmissionEvent e, SubmissionState from, SubmissionState to, DateTimeOffset? resubmitBy,
        string studentEmail, string studentName)
    {
        switch (to)
        {
            case SubmissionState.Rejected:
                var (zh, en) = e switch
                {
                    SubmissionEvent.Inspected i => (i.ReasonsZh, i.ReasonsEn),
                    SubmissionEvent.Decided d => (d.ReasonsZh, d.ReasonsEn),
                    _ => (null, null),
                };
                return new($"{Rejected}:{submissionId}:student", Rejected, studentEmail, studentName, new
                {
                    SubmissionId = submissionId, ReasonsZh = zh ?? "", ReasonsEn = en ?? "",
                    Deadline = resubmitBy is { } d2 ? UtcTimestamp.ToText(d2) : null,
                    ByStudio = e is SubmissionEvent.Decided,
                });
            case SubmissionState.Approved:
                return new($"{Approved}:{submissionId}:student", Approved, studentEmail, studentName, new
                {
                    SubmissionId = submissionId, Overturned = from == SubmissionState.Rejected,
                });
            case SubmissionState.Expired:
                return new($"{Expired}:{submissionId}:student", Expired, studentEmail, studentName, new { SubmissionId = submissionId });
            default:
                return null;
        }
    }
}
