using System.Data.Common;
using Dapper;

namespace CollectionWorker.Store;

/// <summary>An automatic export asked for and not yet run (table <c>export_requests</c>, migration 0009).</summary>
public sealed record ExportRequest(long Id, string Reason, string RequestedBy, string RequestedAt);

/// <summary>
/// Requests across stages for an automatic export: the deadlines stage asks in its own transaction
/// (<see cref="AddAsync"/>), the export stage picks the pending ones up and closes them. The export is
/// idempotent, so a request run twice only adds what is new.
/// </summary>
public static class ExportRequests
{
    public static Task AddAsync(DbConnection c, DbTransaction tx, string reason, string requestedBy, DateTimeOffset now) =>
        c.ExecuteAsync("INSERT INTO export_requests (reason, requested_by, requested_at) VALUES (@reason, @requestedBy, @now)",
            new { reason, requestedBy, now = UtcTimestamp.ToText(now) }, tx);

    public static async Task<List<ExportRequest>> PendingAsync(Database database, CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<ExportRequest>(
            "SELECT id AS Id, reason AS Reason, requested_by AS RequestedBy, requested_at AS RequestedAt FROM export_requests WHERE done_at IS NULL ORDER BY id")).ToList();
    }

    public static async Task CloseAsync(Database database, IEnumerable<long> ids, string outcome, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        await c.ExecuteAsync("UPDATE export_requests SET done_at = @now, outcome = @outcome WHERE id IN @ids AND done_at IS NULL",
            new { now = UtcTimestamp.ToText(now), outcome, ids = ids.ToArray() });
    }
}
