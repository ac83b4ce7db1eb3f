using MimeKit;

namespace CollectionWorker.Notifications;

/// <summary>Delivers messages: to an SMTP server, or as .eml files when none is configured.</summary>
public interface IMailTransport
{
    /// <summary>Opens what a batch needs (one SMTP connection for the whole batch).</summary>
    Task OpenAsync(CancellationToken ct);

    Task SendAsync(MimeMessage message, CancellationToken ct);

    Task CloseAsync(CancellationToken ct);
}

/// <summary>The recipient or message was refused for good (5xx, bad address): retrying will not help.</summary>
public sealed class PermanentMailException(string message, Exception? inner = null) : Exception(message, inner);
