using CollectionWorker.Store;

namespace CollectionWorker.Report;

/// <summary>One student's story in the campaign, oldest first.</summary>
public sealed record StudentHistory(StudentProgress Student, IReadOnlyList<HistoryEvent> Events);

/// <summary>
/// One thing that happened to a student: what (<see cref="Kind"/>), when, in words (Chinese and
/// English), and the facts behind it (file names, findings, reasons, recipients).
/// </summary>
public sealed record HistoryEvent(DateTimeOffset At, string Kind, string Zh, string En, IReadOnlyDictionary<string, object?> Details)
{
    public const string Roster = "roster";
    public const string Upload = "upload";
    public const string Inspection = "inspection";
    public const string Decision = "decision";
    public const string Deadline = "deadline";
    public const string DeadlineClosed = "deadline-closed";
    public const string Expired = "expired";
    public const string ReviewOverdue = "review-overdue";
    public const string Mail = "mail";
    public const string Export = "export";
    public const string Payment = "payment";
    public const string Refund = "refund";
}
