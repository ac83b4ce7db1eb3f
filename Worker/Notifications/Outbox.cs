using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Notifications;

/// <summary>
/// Writes notices into the outbox table. Callers pass their own connection and transaction so the
/// notice is committed with the change that caused it, or not at all.
/// </summary>
public sealed class Outbox(TimeProvider time, IOptions<SmtpOptions> smtp) : IOutbox
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Adds the message unless its key is already there; true when it was added.</summary>
    public async Task<bool> EnqueueAsync(DbConnection connection, DbTransaction transaction, OutboxMessage message)
    {
        var now = UtcTimestamp.ToText(time.GetUtcNow());
        var added = await connection.ExecuteAsync(
            """
            INSERT INTO outbox (idempotency_key, template, recipient, recipient_name, data, message_id, next_attempt_at, created_at)
            VALUES (@key, @template, @recipient, @name, @data, @messageId, @now, @now)
            ON CONFLICT (idempotency_key) DO NOTHING
            """,
            new
            {
                key = message.IdempotencyKey, template = message.Template, recipient = message.Recipient, name = message.RecipientName,
                data = JsonSerializer.Serialize(message.Data, Json), messageId = MessageIdFor(message.IdempotencyKey, await InstallationIdentity.IdAsync(connection, transaction), smtp.Value.From),
                now,
            }, transaction);
        return added == 1;
    }

    /// <summary>
    /// A Message-Id derived from the key, so a resend after a crash is recognisably the same message;
    /// with this installation's id and the domain of Smtp:From, so no other installation's message shares it:
    /// <c>&lt;key hash&gt;.&lt;installation&gt;@jwc.example.edu.cn</c>.
    /// </summary>
    public static string MessageIdFor(string idempotencyKey, string installationId, string from) =>
        $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32]}.{installationId[..Math.Min(16, installationId.Length)]}@{DomainOf(from)}";

    /// <summary>The domain of Smtp:From ("教务处 &lt;jwc@example.edu.cn&gt;" → example.edu.cn); localhost if it has none.</summary>
    public static string DomainOf(string from) =>
        MimeKit.MailboxAddress.TryParse(from, out var address) && address.Domain is { Length: > 0 } domain ? domain.ToLowerInvariant() : "localhost";
}
