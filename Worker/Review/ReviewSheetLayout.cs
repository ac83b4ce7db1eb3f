namespace CollectionWorker.Review;

/// <summary>
/// The review sheet's contract (docs/review.md): which headers the writer puts and the reader looks for. The
/// reader finds columns by header, so a sheet re-saved by another program still reads.
/// </summary>
public static class ReviewSheetLayout
{
    public const string PendingSheet = "待审核 Pending";
    public const string AutoRejectedSheet = "自动退回 Auto-rejected";
    public const string ListsSheet = "_lists";

    public const string ReviewerLabel = "审核人 Reviewer";
    public const string Decision = "审核结果 Decision";
    public const string Reasons = "退回原因 Reasons";
    public const string Note = "备注 Note";
    public const string SubmissionKey = "SubmissionKey";
    public const string Sha256 = "Sha256";
    public const string StudentNumber = "学号 StudentNumber";
    public const string Name = "姓名 Name";

    public const string Approve = "通过";
    public const string Reject = "不通过";

    /// <summary>Row of the reviewer field (label in A, value in B), the instructions and the header.</summary>
    public const int ReviewerRow = 1;
    public const int InstructionsRow = 2;
    public const int HeaderRow = 3;
    public const int FirstDataRow = 4;

    /// <summary>Cell on the hidden lists sheet holding the exported sheet's number.</summary>
    public const string SheetIdCell = "D1";

    /// <summary>Cell on the hidden lists sheet holding the installation's id (also the workbook's custom property <see cref="InstallationProperty"/>).</summary>
    public const string InstallationCell = "D2";

    public const string InstallationProperty = "CollectionWorker.Installation";
    public const string SheetProperty = "CollectionWorker.Sheet";

    public static string KeyFor(long submissionId) => $"S-{submissionId}";

    public static long? ParseKey(string key) =>
        key.StartsWith("S-", StringComparison.Ordinal) && long.TryParse(key.AsSpan(2), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;
}
