using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace CollectionWorker.Notifications;

/// <summary>
/// MailKit SMTP: one connection reused for a batch; 5xx answers are permanent, the rest are retried.
/// The password is only ever sent over an encrypted connection (TLS, or STARTTLS when the server
/// offers it), unless Smtp:AllowPlainTextAuth says a relay on a trusted network may have it in clear.
/// </summary>
public sealed class SmtpMailTransport(SmtpOptions options) : IMailTransport, IDisposable
{
    private readonly SmtpClient _client = new() { Timeout = 60_000 };

    public async Task OpenAsync(CancellationToken ct)
    {
        if (_client.IsConnected) return;
        var security = Enum.Parse<SecureSocketOptions>(options.Security, ignoreCase: true);
        await _client.ConnectAsync(options.Host, options.Port, security, ct);
        if (options.User.Length == 0) return;
        if (!_client.IsSecure && !options.AllowPlainTextAuth)
        {
            await _client.DisconnectAsync(quit: true, ct);
            throw new SmtpNotEncryptedException(
                $"SMTP 服务器 {options.Host}:{options.Port} 未提供加密连接（没有 STARTTLS），为保护密码未登录、未发送。" +
                $"The SMTP server {options.Host}:{options.Port} offers no encryption (no STARTTLS, Smtp:Security={options.Security}), " +
                "so the password was not sent and nothing was sent. Use the server's TLS port (Smtp:Security=SslOnConnect, usually port 465) " +
                "or a server with STARTTLS; only for a relay on this machine or a trusted network set Smtp:AllowPlainTextAuth=true.");
        }
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

/// <summary>Credentials are configured but the connection is not encrypted: they are not sent.</summary>
public sealed class SmtpNotEncryptedException(string message) : Exception(message);
