using System.Data.Common;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;

namespace CollectionWorker.Store;

/// <summary>
/// The one writer of <c>audit_log</c>: who did what to which subject, with a JSON detail in readable
/// Chinese. Callers pass their transaction, so the row commits with the change it describes.
/// </summary>
public static class AuditLog
{
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(DbConnection connection, DbTransaction? transaction, DateTimeOffset at, string actor, string action,
        string subject, object? detail) =>
        connection.ExecuteAsync(
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (@at, @actor, @action, @subject, @detail)",
            new { at = UtcTimestamp.ToText(at), actor, action, subject, detail = detail is null ? null : JsonSerializer.Serialize(detail, Json) },
            transaction);
}
