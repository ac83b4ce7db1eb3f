using CollectionWorker.Store;
using Dapper;

namespace CollectionWorker.Deadlines;

public sealed record MilestoneLine(string Name, string Template, DateTimeOffset? NextFire, string State);

public sealed record DeadlineLine(long Id, string Kind, long SubmissionId, string StudentNumber, string StudentName, string ClassName,
    DateTimeOffset DueAt);

/// <summary>
/// What the schedule holds, read from config and the store without starting the scheduler: the next
/// firing of every milestone and the nearest pending deadlines.
/// </summary>
public sealed class ScheduleReport(Database database, CampaignPlan plan, Campaign.CampaignClock clock, TimeProvider time)
{
    public async Task<(List<MilestoneLine> Milestones, List<DeadlineLine> Deadlines, int PendingTotal)> ReadAsync(int nearest, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<(string Name, string Plan, string? FiredAt, string? Outcome)>(
            "SELECT name, plan, fired_at, outcome FROM milestones")).ToDictionary(r => r.Name);

        var milestones = new List<MilestoneLine>();
        foreach (var m in plan.Milestones)
        {
            var planned = rows.TryGetValue(m.Name, out var row) && row.Plan == m.Plan(plan.Zone);
            var fired = planned && row.FiredAt is not null;
            string state;
            DateTimeOffset? next;
            if (m.Daily)
            {
                next = plan.NextFireAfter(m, now);
                state = fired ? $"last fired {clock.Format(UtcTimestamp.Parse(row.FiredAt!))}: {row.Outcome}" : planned ? "scheduled" : "fires once the service has started";
            }
            else if (fired)
            {
                next = null;
                state = $"fired {clock.Format(UtcTimestamp.Parse(row.FiredAt!))}: {row.Outcome}";
            }
            else
            {
                next = m.DueAt;
                state = m.DueAt <= now ? "overdue: fires as soon as the service runs" : planned ? "scheduled" : "fires once the service has started";
            }
            milestones.Add(new MilestoneLine(m.Name, m.Template, next, state));
        }

        var deadlines = (await connection.QueryAsync<(long Id, string Kind, long SubmissionId, string Number, string Name, string Class, string Due)>(
            """
            SELECT d.id, d.kind, d.submission_id, st.student_number, st.name, st.class_name, d.due_at
            FROM deadlines d JOIN submissions s ON s.id = d.submission_id JOIN students st ON st.id = s.student_id
            WHERE d.state = 'pending' ORDER BY d.due_at, d.id LIMIT @nearest
            """, new { nearest }))
            .Select(r => new DeadlineLine(r.Id, r.Kind, r.SubmissionId, r.Number, r.Name, r.Class, UtcTimestamp.Parse(r.Due))).ToList();
        var total = await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM deadlines WHERE state = 'pending'");
        return (milestones, deadlines, total);
    }
}
