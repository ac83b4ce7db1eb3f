using System.Data;
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
            new { at = UtcTimestamp.ToText(at), actor, action, subject, detail = detail is null ? null : Detail(detail) },
            transaction);

    /// <summary>
    /// For many lines in one transaction (a roster import writes one per student added, changed or missing): one
    /// prepared command for all of them, by the same actor at the same instant. The rows are the ones
    /// <see cref="WriteAsync"/> writes; a detail that repeats can be serialised once with <see cref="Detail"/>.
    /// </summary>
    public static Lines Prepare(DbConnection connection, DbTransaction transaction, DateTimeOffset at, string actor) =>
        new(new PreparedCommand(connection, transaction,
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (@at, @actor, @action, @subject, @detail)",
            ("at", DbType.String), ("actor", DbType.String), ("action", DbType.String), ("subject", DbType.String), ("detail", DbType.String)),
            UtcTimestamp.ToText(at), actor);

    /// <summary>A detail as <see cref="WriteAsync"/> stores it (JSON, Chinese left readable).</summary>
    public static string Detail(object detail) => JsonSerializer.Serialize(detail, Json);

    public sealed class Lines(PreparedCommand command, string at, string actor) : IAsyncDisposable
    {
        /// <param name="detail">The detail as JSON (<see cref="Detail"/>), or null.</param>
        public Task WriteAsync(string action, string subject, string? detail, CancellationToken ct) =>
            command.RunAsync(ct, at, actor, action, subject, detail);

        public ValueTask DisposeAsync() => command.DisposeAsync();
    }
}
