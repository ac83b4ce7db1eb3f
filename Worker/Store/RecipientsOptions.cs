using System.Globalization;

namespace CollectionWorker.Store;

/// <summary>
/// Who is told, and when: the part of config section <c>Notifications</c> that the stages which
/// enqueue mail read (Deadlines: admins, the studio, the digest time; Review: the studio). The keys are
/// the same as ever (<c>Notifications:AdminEmails</c>, <c>Notifications:StudioEmail</c>,
/// <c>Notifications:DigestTime</c>); <c>Notifications/NotificationsOptions</c> extends this class and
/// validates them at start-up, so the stages need not reference the Notifications stage.
/// </summary>
public class RecipientsOptions
{
    public const string Section = "Notifications";

    /// <summary>Daily digest time of day, campaign time zone, "HH:mm".</summary>
    public string DigestTime { get; set; } = "09:00";
    public List<string> AdminEmails { get; set; } = [];
    public string StudioEmail { get; set; } = "";

    /// <summary>
    /// Write to students directly where the roster gives an address (学生邮箱 StudentEmail): a receipt, the
    /// rejection, the approval and the expiry (docs/student-mail.md). False keeps every student e-mail back.
    /// </summary>
    public bool StudentEmails { get; set; } = true;

    public TimeOnly DigestTimeOfDay => TimeOnly.ParseExact(DigestTime, "HH:mm", CultureInfo.InvariantCulture);
}
