using CollectionWorker.Store;
using Dapper;

namespace CollectionWorker.Report;

/// <summary>
/// The report's own reads of events: uploads, automatic findings and the studio's decisions. Student
/// counts are never derived here; they come from <see cref="ProgressReport"/> and the status machine.
/// </summary>
public sealed class ReportQueries(Database database)
{
    public sealed record Upload(long StudentId, DateTimeOffset ReceivedAt);

    public sealed record FindingRow(long StudentId, long SubmissionId, string Code, string Severity, string MessageZh, string MessageEn);

    public sealed record DecisionRow(long StudentId, string Decision, string PreviousState, string? ReasonsZh, string? ReasonsEn, string Reviewer,
        DateTimeOffset DecidedAt, DateTimeOffset ReceivedAt);

    public async Task<List<Upload>> UploadsAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<(long, string)>("SELECT student_id, received_at FROM submissions ORDER BY received_at"))
            .Select(r => new Upload(r.Item1, UtcTimestamp.Parse(r.Item2))).ToList();
    }

    /// <summary>Findings that made a photo fail or need a look (info findings are measurements only).</summary>
    public async Task<List<FindingRow>> FindingsAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<FindingRow>(
            """
            SELECT sub.student_id AS StudentId, f.submission_id AS SubmissionId, f.code AS Code, f.severity AS Severity,
                   f.message_zh AS MessageZh, f.message_en AS MessageEn
            FROM findings f JOIN submissions sub ON sub.id = f.submission_id
            WHERE f.severity IN ('reject', 'review')
            ORDER BY f.id
            """)).ToList();
    }

    public async Task<List<DecisionRow>> DecisionsAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<(long, string, string, string?, string?, string, string, string)>(
                """
                SELECT sub.student_id, d.decision, d.previous_state, d.reasons_zh, d.reasons_en, d.reviewer, d.decided_at, sub.received_at
                FROM review_decisions d JOIN submissions sub ON sub.id = d.submission_id
                ORDER BY d.decided_at
                """))
            .Select(r => new DecisionRow(r.Item1, r.Item2, r.Item3, r.Item4, r.Item5, r.Item6, UtcTimestamp.Parse(r.Item7), UtcTimestamp.Parse(r.Item8)))
            .ToList();
    }
}
