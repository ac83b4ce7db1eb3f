using CollectionWorker.Store;

namespace CollectionWorker.Sheets;

/// <summary>How a status looks in workbooks and e-mails beside its words (<see cref="StudentStatusMachine.Bilingual"/>): a colour, and whether a teacher must act.</summary>
public static partial class StatusWords
{
    /// <summary>The status's fill ("#RRGGBB"); null: none.</summary>
    public static string? Fill(StudentStatus s) => s switch
    {
        StudentStatus.Approved => "#C6EFCE",
        StudentStatus.AwaitingInspection or StudentStatus.AwaitingReview => "#FFEB9C",
        StudentStatus.Rejected => "#F8CBAD",
        StudentStatus.NotSubmitted or StudentStatus.Expired => "#FFC7CE",
        _ => null,
    };

    /// <summary>Students a teacher must chase: missing, rejected, expired.</summary>
    public static bool NeedsAction(StudentStatus s) =>
        s is StudentStatus.NotSubmitted or StudentStatus.Rejected or StudentStatus.Expired;
}
