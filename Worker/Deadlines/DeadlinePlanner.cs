using System.Data.Common;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace CollectionWorker.Deadlines;

/// <summary>What one planning pass did.</summary>
public sealed record PlanResult(int DeadlinesAdded, int DeadlinesCancelled, int Pending, int TriggersAdded, int TriggersRemoved,
    IReadOnlyList<string> MilestonesPlanned);

/// <summary>
/// Keeps Quartz in step with the store: first the store itself (deadline rows for submissions a
/// stage left without one, pending rows whose condition is gone cancelled), then one trigger per
/// pending deadline and one per milestone of the current config. Runs at start and every
/// Deadlines:PlanEvery; every step is idempotent, so a pass interrupted anywhere is finished by the next.
/// </summary>
public sealed class DeadlinePlanner(
    Database database,
    CampaignPlan plan,
    IOptions<Campaign.CampaignOptions> campaign,
    IOptions<DeadlinesOptions> options,
    TimeProvider time,
    ILogger<DeadlinePlanner> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public static string TriggerName(long deadlineId) => $"deadline-{deadlineId}";

    public async Task<PlanResult> PlanAsync(IScheduler scheduler, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var (added, cancelled) = await ReconcileStoreAsync(ct);
            List<(long Id, string DueAt)> pending;
            await using (var connection = await database.OpenAsync(ct))
                pending = (await connection.QueryAsync<(long, string)>("SELECT id, due_at FROM deadlines WHERE state = 'pending'")).ToList();

            var existing = (await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(DeadlineScheduling.DeadlineGroup), ct))
                .Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
            var wanted = pending.Select(p => TriggerName(p.Id)).ToHashSet(StringComparer.Ordinal);
            var missing = pending.Where(p => !existing.Contains(TriggerName(p.Id))).Select(p => BuildTrigger(p.Id, UtcTimestamp.Parse(p.DueAt), time)).ToList();
            if (missing.Count > 0)
            {
                var job = await scheduler.GetJobDetail(DeadlineScheduling.DeadlineJobKey, ct)
                          ?? throw new InvalidOperationException("The deadline job is not registered with the scheduler.");
                // One call, one store transaction, however many triggers: thousands at start stay fast.
                await scheduler.ScheduleJobs(new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>> { [job] = missing },
                    new ScheduleJobOptions { Replace = true }, ct);
            }
            var stale = existing.Where(n => !wanted.Contains(n)).Select(n => new TriggerKey(n, DeadlineScheduling.DeadlineGroup)).ToList();
            if (stale.Count > 0) await scheduler.UnscheduleJobs(stale, ct);

            var milestones = await PlanMilestonesAsync(scheduler, ct);
            var result = new PlanResult(added, cancelled, pending.Count, missing.Count, stale.Count, milestones);
            if (added + cancelled + missing.Count + stale.Count + milestones.Count > 0)
                logger.LogInformation(
                    "Deadline plan: {Added} deadline(s) added from submissions, {Cancelled} cancelled, {Pending} pending; {TriggersAdded} trigger(s) scheduled, {TriggersRemoved} removed; milestones planned: {Milestones}",
                    added, cancelled, pending.Count, missing.Count, stale.Count, milestones.Count == 0 ? "none" : string.Join(", ", milestones));
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// One-shot: fires at the due instant, or at once if the service was down then (FireNow). The
    /// job re-checks the store, so a deadline that was met meanwhile does nothing.
    /// </summary>
    public static ITrigger BuildTrigger(long deadlineId, DateTimeOffset due, TimeProvider time) =>
        TriggerBuilder.Create(time)
            .WithIdentity(TriggerName(deadlineId), DeadlineScheduling.DeadlineGroup)
            .ForJob(DeadlineScheduling.DeadlineJobKey)
            .UsingJobData(DeadlineJob.DeadlineIdKey, deadlineId)
            .StartAt(due)
            .WithSchedule(SimpleScheduleBuilder.Create().WithRepeatCount(0).WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();

    /// <summary>Deadline rows for submissions that need one and have none; pending rows whose condition is gone, cancelled.</summary>
    private async Task<(int Added, int Cancelled)> ReconcileStoreAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowText = UtcTimestamp.ToText(now);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await connection.BeginTransactionAsync(ct);
        var added = 0;

        var awaitingReview = await connection.QueryAsync<(long Id, string ReceivedAt)>(
            """
            SELECT s.id, s.received_at FROM submissions s
            WHERE s.state = 'awaiting_review'
              AND NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.submission_id = s.id AND d.kind = 'review_sla_escalation')
            """, transaction: tx);
        foreach (var (id, receivedAt) in awaitingReview)
        {
            var uploaded = UtcTimestamp.Parse(receivedAt);
            added += await DeadlineRows.InsertAsync(connection, tx, DeadlineKinds.ReviewSlaWarning, id, uploaded + options.Value.ReviewSlaWarningAfter, now);
            added += await DeadlineRows.InsertAsync(connection, tx, DeadlineKinds.ReviewSlaEscalation, id, uploaded + campaign.Value.ReviewSla, now);
        }

        var rejected = await connection.QueryAsync<(long Id, string Deadline)>(
            """
            SELECT s.id, s.resubmit_deadline FROM submissions s
            WHERE s.state = 'rejected' AND s.resubmit_deadline IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM deadlines d WHERE d.submission_id = s.id AND d.kind = 'resubmission')
            """, transaction: tx);
        foreach (var (id, deadline) in rejected)
            added += await DeadlineRows.InsertAsync(connection, tx, DeadlineKinds.Resubmission, id, UtcTimestamp.Parse(deadline), now);

        var cancelled = await connection.ExecuteAsync(
            """
            UPDATE deadlines SET state = 'cancelled', closed_at = @now,
                   outcome = CASE WHEN EXISTS (SELECT 1 FROM submissions n JOIN submissions s ON s.id = deadlines.submission_id
                                               WHERE n.student_id = s.student_id AND n.id > s.id)
                                  THEN 'newer upload'
                                  ELSE 'submission is ' || (SELECT state FROM submissions WHERE id = deadlines.submission_id) END
            WHERE state = 'pending' AND (
                EXISTS (SELECT 1 FROM submissions n JOIN submissions s ON s.id = deadlines.submission_id
                        WHERE n.student_id = s.student_id AND n.id > s.id)
                OR (kind = 'resubmission' AND (SELECT state FROM submissions WHERE id = deadlines.submission_id) <> 'rejected')
                OR (kind <> 'resubmission' AND (SELECT state FROM submissions WHERE id = deadlines.submission_id) <> 'awaiting_review'))
            """, new { now = nowText }, tx);
        await tx.CommitAsync(ct);
        return (added, cancelled);
    }

    /// <summary>Arms a trigger for every milestone whose plan is new or changed, or which lost its trigger before firing.</summary>
    private async Task<List<string>> PlanMilestonesAsync(IScheduler scheduler, CancellationToken ct)
    {
        var planned = new List<string>();
        await using var connection = await database.OpenAsync(ct);
        foreach (var m in plan.Milestones)
        {
            var planText = m.Plan(plan.Zone);
            var row = await connection.QuerySingleOrDefaultAsync<(string? Plan, string? FiredAt)>(
                "SELECT plan, fired_at FROM milestones WHERE name = @name", new { name = m.Name });
            var key = new TriggerKey(m.Name, DeadlineScheduling.MilestoneGroup);
            var trigger = plan.BuildTrigger(m);
            if (row.Plan != planText)
            {
                // New or changed in config: forget the old firing, arm the new plan.
                await connection.ExecuteAsync(
                    """
                    INSERT INTO milestones (name, due_at, plan, fired_at, outcome) VALUES (@name, @due, @plan, NULL, NULL)
                    ON CONFLICT (name) DO UPDATE SET due_at = excluded.due_at, plan = excluded.plan, fired_at = NULL, outcome = NULL
                    """, new { name = m.Name, due = UtcTimestamp.ToText(m.DueAt), plan = planText });
                await scheduler.ScheduleJob(trigger, new ScheduleJobOptions { Replace = true }, ct);
                if (row.Plan is not null)
                    logger.LogInformation("Milestone {Milestone} re-planned: was '{Old}', now '{New}'", m.Name, row.Plan, planText);
                planned.Add(m.Name);
            }
            else if ((m.Daily || row.FiredAt is null) && !await scheduler.Exists(key, ct))
            {
                // Planned but its trigger is gone (scheduler file deleted, or a firing failed): arm it again.
                await scheduler.ScheduleJob(trigger, new ScheduleJobOptions { Replace = true }, ct);
                planned.Add(m.Name);
            }
        }
        return planned;
    }
}
