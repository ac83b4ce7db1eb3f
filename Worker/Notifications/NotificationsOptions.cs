using System.Globalization;
using CollectionWorker.Store;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Notifications;

/// <summary>Config section <c>Notifications</c>: who gets mail, when, and what they may see.
/// The recipients (<c>AdminEmails</c>, <c>StudioEmail</c>, <c>DigestTime</c>) are declared in
/// <see cref="RecipientsOptions"/> (Store), which the stages that enqueue mail read.</summary>
public sealed class NotificationsOptions : RecipientsOptions
{

    /// <summary>Folder of the e-mail templates; empty = templates/ beside the config folder.</summary>
    public string TemplatesDirectory { get; set; } = "";

    /// <summary>How often the outbox is looked at for messages to send.</summary>
    public TimeSpan SendEvery { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait before the first retry of a message that failed temporarily; doubles each time, at most one hour.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts before a message that keeps failing temporarily is given up and listed for the admin.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Teachers' workbooks show ID numbers masked (440605********1234) unless this is true.</summary>
    public bool ShowFullNationalId { get; set; }

    /// <summary>Attach thumbnails of a teacher's own rejected students' annotated photos to their digest.</summary>
    public bool PhotosToTeachers { get; set; }
}

public sealed class NotificationsOptionsValidator : IValidateOptions<NotificationsOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationsOptions o)
    {
        var errors = new List<string>();
        if (!TimeOnly.TryParseExact(o.DigestTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            errors.Add($"Notifications:DigestTime = '{o.DigestTime}' is not a time of day; allowed: HH:mm, e.g. 09:00.");
        for (var i = 0; i < o.AdminEmails.Count; i++)
            if (!MailAddressCheck.IsValid(o.AdminEmails[i]))
                errors.Add($"Notifications:AdminEmails:{i} = '{o.AdminEmails[i]}' is not an e-mail address.");
        if (o.StudioEmail.Length > 0 && !MailAddressCheck.IsValid(o.StudioEmail))
            errors.Add($"Notifications:StudioEmail = '{o.StudioEmail}' is not an e-mail address.");
        if (o.SendEvery < TimeSpan.FromMilliseconds(100) || o.SendEvery > TimeSpan.FromHours(1))
            errors.Add($"Notifications:SendEvery = {o.SendEvery} is out of range; allowed: 00:00:00.1 to 01:00:00 (default 00:00:05).");
        if (o.RetryDelay < TimeSpan.FromMilliseconds(10) || o.RetryDelay > TimeSpan.FromHours(1))
            errors.Add($"Notifications:RetryDelay = {o.RetryDelay} is out of range; allowed: 00:00:00.01 to 01:00:00 (default 00:01:00).");
        if (o.MaxAttempts is < 1 or > 100)
            errors.Add($"Notifications:MaxAttempts = {o.MaxAttempts} is out of range; allowed: 1 to 100 (default 12).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
