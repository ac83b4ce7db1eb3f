using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CollectionWorker.Notifications;

/// <summary>MailKit SMTP: one connection reused for a batch; 5xx answers are permanent, the rest are retried.</summary>
public sealed class SmtpMailTransport(SmtpOptions options) : IMailTransport, IDisposable
{
    private readonly SmtpClient _client = new() { Timeout = 60_000 };

    public async Task OpenAsync(CancellationToken ct)
    {
        if (_client.IsConnected) return;
        var security = Enum.Parse<SecureSocketOptions>(options.Security, ignoreCase: true);
        await _client.ConnectAsync(options.Host, options.Port, security, ct);
        if (options.User.Length > 0)
            await _client.AuthenticateAsync(options.User, options.Password, ct);
    }

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        try
        {
            await OpenAsync(ct);
            await _client.SendAsync(message, ct);
        }
        catch (SmtpCommandException e) when ((int)e.StatusCode >= 500)
        {
            // The server refused this message or recipient for good; the connection itself is still usable.
            throw new PermanentMailException($"{(int)e.StatusCode} {e.Message}", e);
        }
    }

    public async Task CloseAsync(CancellationToken ct)
    {
        if (_client.IsConnected) await _client.DisconnectAsync(quit: true, ct);
    }

    public void Dispose() => _client.Dispose();
}
