namespace CollectionWorker.Store;

/// <summary>A student's state in the campaign, as every report, reminder and export sees it.</summary>
public enum StudentStatus
{
    NotEligible,
    NotSubmitted,
    AwaitingInspection,
    AwaitingReview,
    Approved,
    Rejected,
    Expired,
}

/// <summary>The lifecycle of one upload. Stored as the lower-case text in <see cref="SubmissionStates"/>.</summary>
public enum SubmissionState
{
    /// <summary>Arrived before the window opened; held until it opens.</summary>
    Held,
    AwaitingInspection,
    AwaitingReview,
    Approved,
    /// <summary>Rejected (automatically or by the studio); a resubmission deadline runs.</summary>
    Rejected,
    /// <summary>Rejected and the resubmission deadline passed with no new upload (视为没拍).</summary>
    Expired,
    /// <summary>A newer upload of the same student replaced it.</summary>
    Superseded,
}

public static class SubmissionStates
{
    public static string ToText(SubmissionState s) => s switch
    {
        SubmissionState.Held => "held",
        SubmissionState.AwaitingInspection => "awaiting_inspection",
        SubmissionState.AwaitingReview => "awaiting_review",
        SubmissionState.Approved => "approved",
        SubmissionState.Rejected => "rejected",
        SubmissionState.Expired => "expired",
        SubmissionState.Superseded => "superseded",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s, null),
    };

    public static SubmissionState Parse(string text) => text switch
    {
        "held" => SubmissionState.Held,
        "awaiting_inspection" => SubmissionState.AwaitingInspection,
        "awaiting_review" => SubmissionState.AwaitingReview,
        "approved" => SubmissionState.Approved,
        "rejected" => SubmissionState.Rejected,
        "expired" => SubmissionState.Expired,
        "superseded" => SubmissionState.Superseded,
        _ => throw new FormatException($"Unknown submission state '{text}' in the store."),
    };
}

/// <summary>The latest submission of a student, as far as the status machine needs it.</summary>
public sealed record LatestSubmission(SubmissionState State, DateTimeOffset? ResubmitDeadline);

/// <summary>
/// The one place that decides a student's status and which submission transitions are allowed.
/// Every other part asks here; nobody re-derives status on its own.
/// </summary>
public static class StudentStatusMachine
{
    public static StudentStatus Decide(bool eligible, LatestSubmission? latest, DateTimeOffset now)
    {
        if (!eligible) return StudentStatus.NotEligible;
        if (latest is null) return StudentStatus.NotSubmitted;
        return latest.State switch
        {
            SubmissionState.Held or SubmissionState.AwaitingInspection => StudentStatus.AwaitingInspection,
            SubmissionState.AwaitingReview => StudentStatus.AwaitingReview,
            SubmissionState.Approved => StudentStatus.Approved,
            // The deadline job marks expiry in the store; until it has run, the clock already decides.
            SubmissionState.Rejected when latest.ResubmitDeadline is { } d && now >= d => StudentStatus.Expired,
            SubmissionState.Rejected => StudentStatus.Rejected,
            SubmissionState.Expired => StudentStatus.Expired,
            // A superseded row is never the latest; if the store says so, the student has nothing current.
            SubmissionState.Superseded => StudentStatus.NotSubmitted,
            _ => throw new ArgumentOutOfRangeException(nameof(latest), latest.State, null),
        };
    }

    /// <summary>Whether a submission may move from one state to another.</summary>
    public static bool CanMove(SubmissionState from, SubmissionState to) => (from, to) switch
    {
        (SubmissionState.Held, SubmissionState.AwaitingInspection) => true,
        (SubmissionState.AwaitingInspection, SubmissionState.AwaitingReview) => true,
        (SubmissionState.AwaitingInspection, SubmissionState.Rejected) => true,
        (SubmissionState.AwaitingReview, SubmissionState.Approved) => true,
        (SubmissionState.AwaitingReview, SubmissionState.Rejected) => true,
        // The studio may overturn an automatic rejection while the student has not uploaded again.
        (SubmissionState.Rejected, SubmissionState.Approved) => true,
        (SubmissionState.Rejected, SubmissionState.Expired) => true,
        (SubmissionState.Expired, SubmissionState.Superseded) => false,
        (_, SubmissionState.Superseded) => from != SubmissionState.Superseded,
        _ => false,
    };

    /// <summary>The status in Chinese and English, as every workbook, e-mail and export shows it.</summary>
    public static string Bilingual(StudentStatus s) => $"{Describe(s, chinese: true)} {Describe(s, chinese: false)}";

    /// <summary>The one place that puts a status into words.</summary>
    public static string Describe(StudentStatus s, bool chinese) => (s, chinese) switch
    {
        (StudentStatus.NotEligible, true) => "不在采集范围",
        (StudentStatus.NotSubmitted, true) => "未上传",
        (StudentStatus.AwaitingInspection, true) => "待检测",
        (StudentStatus.AwaitingReview, true) => "待审核",
        (StudentStatus.Approved, true) => "已通过",
        (StudentStatus.Rejected, true) => "未通过，待重新上传",
        (StudentStatus.Expired, true) => "逾期未重传（视为没拍）",
        (StudentStatus.NotEligible, false) => "not eligible",
        (StudentStatus.NotSubmitted, false) => "missing",
        (StudentStatus.AwaitingInspection, false) => "awaiting inspection",
        (StudentStatus.AwaitingReview, false) => "awaiting review",
        (StudentStatus.Approved, false) => "approved",
        (StudentStatus.Rejected, false) => "rejected, resubmission pending",
        (StudentStatus.Expired, false) => "expired (counted as not photographed)",
        _ => s.ToString(),
    };
}
