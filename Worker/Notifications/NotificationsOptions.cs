using System.Globalization;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Notifications;

/// <summary>Config section <c>Notifications</c>: who gets mail and when the daily digest goes.</summary>
public sealed class NotificationsOptions
{
    public const string Section = "Notifications";

    /// <summary>Daily digest time of day, campaign time zone, "HH:mm".</summary>
    public string DigestTime { get; set; } = "09:00";
    public List<string> AdminEmails { get; set; } = [];
    public string StudioEmail { get; set; } = "";

    public TimeOnly DigestTimeOfDay => TimeOnly.ParseExact(DigestTime, "HH:mm", CultureInfo.InvariantCulture);
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
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
