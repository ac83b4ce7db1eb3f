using ClosedXML.Excel;
using CollectionWorker.Store;

namespace CollectionWorker.Sheets;

/// <summary>How a status looks in workbooks and e-mails beside its words (<see cref="StudentStatusMachine.Bilingual"/>): a colour, and whether a teacher must act.</summary>
public static class StatusWords
{
    public static XLColor Colour(StudentStatus s) => s switch
    {
        StudentStatus.Approved => XLColor.FromHtml("#C6EFCE"),
        StudentStatus.AwaitingInspection or StudentStatus.AwaitingReview => XLColor.FromHtml("#FFEB9C"),
        StudentStatus.Rejected => XLColor.FromHtml("#F8CBAD"),
        StudentStatus.NotSubmitted or StudentStatus.Expired => XLColor.FromHtml("#FFC7CE"),
        _ => XLColor.NoColor,
    };

    /// <summary>Students a teacher must chase: missing, rejected, expired.</summary>
    public static bool NeedsAction(StudentStatus s) =>
        s is StudentStatus.NotSubmitted or StudentStatus.Rejected or StudentStatus.Expired;
}
