using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Store;

/// <summary>
/// Writes notices into the outbox table. Callers pass their own connection and transaction so the
/// notice is committed with the change that caused it, or not at all.
/// </summary>
public sealed class Outbox(TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Adds the message unless its key is already there; true when it was added.</summary>
    public async Task<bool> EnqueueAsync(SqliteConnection connection, SqliteTransaction transaction, OutboxMessage message)
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
                data = JsonSerializer.Serialize(message.Data, Json), messageId = MessageIdFor(message.IdempotencyKey), now,
            }, transaction);
        return added == 1;
    }

    /// <summary>A Message-Id derived from the key, so a resend after a crash is recognisably the same message.</summary>
    public static string MessageIdFor(string idempotencyKey) =>
        $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)))[..32]}@collection-worker";
}
