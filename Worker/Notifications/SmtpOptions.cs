using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Notifications;

/// <summary>Config section <c>Smtp</c>. An empty Host means: write .eml files into data/mail/ instead of sending.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    /// <summary>None, StartTls, SslOnConnect or Auto (MailKit's SecureSocketOptions).</summary>
    public string Security { get; set; } = "Auto";
    public string User { get; set; } = "";
    /// <summary>Set it through the environment (CollectionWorker__Smtp__Password), not in the file.</summary>
    public string Password { get; set; } = "";
    public string From { get; set; } = "CollectionWorker <collection-worker@localhost>";

    /// <summary>
    /// False (default): the user name and password are sent only over TLS or STARTTLS; a server that
    /// offers neither gets no login and no mail. True only for a relay on this machine or a trusted network.
    /// </summary>
    public bool AllowPlainTextAuth { get; set; }

    public static readonly string[] SecurityValues = ["None", "StartTls", "SslOnConnect", "Auto", "StartTlsWhenAvailable"];
}

public sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions o)
    {
        var errors = new List<string>();
        if (o.Port is < 1 or > 65535)
            errors.Add($"Smtp:Port = {o.Port} is out of range; allowed: 1 to 65535 (usually 25, 465 or 587).");
        if (!SmtpOptions.SecurityValues.Contains(o.Security, StringComparer.OrdinalIgnoreCase))
            errors.Add($"Smtp:Security = '{o.Security}' is not allowed; allowed: {string.Join(", ", SmtpOptions.SecurityValues)}.");
        if (!MailAddressCheck.IsValid(o.From))
            errors.Add($"Smtp:From = '{o.From}' is not an e-mail address; e.g. '教务处 <jwc@example.edu.cn>'.");
        if (o.User.Length > 0 && string.Equals(o.Security, "None", StringComparison.OrdinalIgnoreCase) && !o.AllowPlainTextAuth)
            errors.Add("Smtp:Security = 'None' with Smtp:User set would send the password unencrypted; use StartTls, SslOnConnect or Auto, " +
                       "or set Smtp:AllowPlainTextAuth = true for a relay on this machine or a trusted network.");
        if (o.User.Length > 0 && o.Host.Length == 0)
            errors.Add("Smtp:User is set but Smtp:Host is empty; set the host, or clear the user to write .eml files.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal static class MailAddressCheck
{
    public static bool IsValid(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        try
        {
            var a = new MailAddress(text);
            return a.Host.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
