using CollectionWorker.Store;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Notifications;

/// <summary>SMTP when Smtp:Host is set, else .eml files in data/mail/.</summary>
public sealed class MailTransportFactory(IOptions<SmtpOptions> smtp, DataPaths paths)
{
    public bool UsesSmtp => smtp.Value.Host.Length > 0;

    public string Describe => UsesSmtp ? $"SMTP {smtp.Value.Host}:{smtp.Value.Port} ({smtp.Value.Security})" : $".eml files in {paths.Mail}";

    public IMailTransport Create() => UsesSmtp ? new SmtpMailTransport(smtp.Value) : new PickupFolderTransport(paths.Mail);
}
