using System.Data.Common;
using System.Text.Json;
using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Deadlines;

/// <summary>
/// What each campaign milestone does when it fires: enqueue its notices, each under an idempotency
/// key, and record the firing, in one transaction. A one-shot milestone acts once per plan; the
/// digest once per campaign day. A milestone fired late acts only while it still means something.
/// </summary>
public sealed class MilestoneActions(
    Database database,
    IOutbox outbox,
    CampaignPlan plan,
    TeacherSummaries teachers,
    CampaignClock clock,
    IOptions<CampaignOptions> campaign,
    IOptions<RecipientsOptions> notifications,
    TimeProvider time,
    ICampaignReportPage htmlReport,
    ILogger<MilestoneActions> logger)
{
    /// <param name="firedAt">
    /// when the trigger actually fired; the digest's day is taken from it, so a digest caught up after
    /// days of downtime is today's digest (and today's 09:00 one, if still to come, is the same key).
    /// </param>
    public async Task<string> RunAsync(string name, DateTimeOffset firedAt, CancellationToken ct)
    {
        var milestone = plan.Milestones.SingleOrDefault(m => m.Name == name);
        if (milestone is null) return "unknown milestone";
        var summaries = await teachers.ReadAsync(ct);
        var now = time.GetUtcNow();
        var c = campaign.Value;

        await using var connection = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string Plan, string? FiredAt)>(
            "SELECT plan, fired_at FROM milestones WHERE name = @name", new { name }, tx);
        var planText = milestone.Plan(plan.Zone);
        if (row.Plan != planText) return "plan changed; the planner re-arms it"; // fired from a stale trigger
        if (!milestone.Daily && row.FiredAt is not null) return "already fired";

        var day = clock.LocalDate(milestone.Daily ? firedAt : milestone.DueAt);
        var dayText = day.ToString("yyyy-MM-dd");
        var common = new
        {
            UploadStart = clock.Format(c.UploadStart), UploadEnd = clock.Format(c.UploadEnd),
            PreparationStart = clock.Format(c.PreparationStart), PreparationEnd = clock.Format(c.PreparationEnd), c.FeeYuan,
        };
        var sent = 0;
        string outcome;
        var created = await StoreInfo.CreatedAtAsync(connection, tx);
        // A first start on last year's dates must not run last year's campaign: what was over before this store existed is not caught up.
        var over = OverAt(name, c);
        var beforeStore = over is { } end && created >= end;
        switch (name)
        {
            case not CampaignPlan.DailyDigest when beforeStore:
                outcome = $"not caught up: its part of the campaign was over at {clock.Format(over!.Value)}, before this data directory's store was created " +
                          $"({clock.Format(created)}); check the dates in Campaign:* / 未补发：该环节在 {clock.Format(over.Value)} 已结束，早于本数据目录的存储创建时间";
                break;
            case CampaignPlan.PreparationStart when now >= c.UploadEnd:
                outcome = "skipped: the upload window has already closed";
                break;
            case CampaignPlan.PreparationStart when now >= c.UploadStart:
                outcome = "skipped: the upload window is already open (window-open tells teachers instead)";
                break;
            case CampaignPlan.WindowOpen when now >= c.UploadEnd:
            case CampaignPlan.FinalReminder when now >= c.UploadEnd:
                outcome = "skipped: the upload window has closed";
                break;
            case CampaignPlan.PreparationStart:
            case CampaignPlan.WindowOpen:
                foreach (var t in summaries)
                    sent += await SendAsync(connection, tx, $"{name}:{t.TeacherEmail}:{dayText}", milestone.Template, t, TeacherData(t, common, dayText));
                outcome = $"{sent} teacher notice(s)";
                break;
            case CampaignPlan.FinalReminder:
                foreach (var t in summaries.Where(t => t.Open > 0))
                    sent += await SendAsync(connection, tx, $"{name}:{t.TeacherEmail}:{dayText}", milestone.Template, t, TeacherData(t, common, dayText));
                outcome = $"{sent} teacher reminder(s)";
                break;
            case CampaignPlan.DailyDigest:
                var inWindow = day >= clock.LocalDate(c.UploadStart) && day < clock.LocalDate(c.UploadEnd.AddTicks(-1)).AddDays(1);
                var pendingDeadline = summaries.Any(t => t.HasPendingDeadline)
                                      || await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM deadlines WHERE state = 'pending')", transaction: tx);
                if (day < clock.LocalDate(c.UploadStart) || (!inWindow && !pendingDeadline))
                {
                    outcome = $"skipped {dayText}: outside the window and no deadline pending";
                    break;
                }
                // After the window only teachers who still have a review or resubmission under way hear from us.
                foreach (var t in summaries.Where(t => inWindow || t.HasPendingDeadline))
                    sent += await SendAsync(connection, tx, $"digest:{t.TeacherEmail}:{dayText}", milestone.Template, t, TeacherData(t, common, dayText));
                outcome = $"{sent} digest(s) for {dayText}";
                break;
            case CampaignPlan.WindowClose:
                var report = new
                {
                    Date = dayText, common.UploadStart, common.UploadEnd,
                    Teachers = summaries.Count, Students = summaries.Sum(t => t.Total), Approved = summaries.Sum(t => t.Approved),
                    AwaitingReview = summaries.Sum(t => t.Classes.Sum(x => x.AwaitingReview)),
                    Rejected = summaries.Sum(t => t.Classes.Sum(x => x.Rejected)),
                    Missing = summaries.Sum(t => t.Classes.Sum(x => x.Missing)),
                    Expired = summaries.Sum(t => t.Classes.Sum(x => x.Expired)),
                    Classes = summaries.SelectMany(t => t.Classes.Select(x => new { x.ClassName, t.TeacherName, x.Total, x.Approved, x.AwaitingReview, x.Rejected, x.Missing, x.Expired })).ToList(),
                };
                foreach (var admin in notifications.Value.AdminEmails)
                    if (await outbox.EnqueueAsync(connection, tx, new OutboxMessage($"{name}:admin:{admin.ToLowerInvariant()}:{dayText}", milestone.Template, admin, "", report)))
                        sent++;
                outcome = $"{sent} admin report(s)";
                break;
            default:
                outcome = "nothing to do";
                break;
        }

        // The export stage picks this up from export_requests (Export/ExportRequestService.cs).
        if (name == CampaignPlan.WindowClose && !beforeStore)
            await ExportRequests.AddAsync(connection, tx, "upload window closed", DeadlineActions.Actor, now);
        await connection.ExecuteAsync("UPDATE milestones SET fired_at = @now, outcome = @outcome WHERE name = @name",
            new { now = UtcTimestamp.ToText(now), outcome, name }, tx);
        await AuditLog.WriteAsync(connection, tx, now, DeadlineActions.Actor, "milestone fired", $"milestone:{name}",
            new { fired_at = clock.Format(firedAt), outcome });
        await tx.CommitAsync(ct);
        logger.LogInformation("Milestone {Milestone} fired at {FiredAt}: {Outcome}", name, clock.Format(firedAt), outcome);
        if (name == CampaignPlan.WindowClose && !beforeStore) await WriteHtmlReportAsync(ct);
        return outcome;
    }

    /// <summary>The admin report's page with charts also lands in report/; a failure there is logged and costs nothing else.</summary>
    private async Task WriteHtmlReportAsync(CancellationToken ct)
    {
        try
        {
            logger.LogInformation("Campaign report written to {Path}", await htmlReport.WriteAsync(ct: ct));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Campaign report could not be written to report/: {Error}", e.Message);
        }
    }

    /// <summary>When the part of the campaign a one-shot milestone belongs to is over (null: the daily digest).</summary>
    private static DateTimeOffset? OverAt(string name, CampaignOptions c) => name switch
    {
        CampaignPlan.PreparationStart => c.UploadStart,
        CampaignPlan.WindowOpen or CampaignPlan.FinalReminder or CampaignPlan.WindowClose => c.UploadEnd,
        _ => null,
    };

    private async Task<int> SendAsync(DbConnection c, DbTransaction tx, string key, string template, TeacherSummary t, object data) =>
        await outbox.EnqueueAsync(c, tx, new OutboxMessage(key, template, t.TeacherEmail, t.TeacherName, data)) ? 1 : 0;

    private static object TeacherData(TeacherSummary t, object campaignDates, string date) => new
    {
        t.TeacherName, t.TeacherEmail, Date = date, Campaign = campaignDates,
        ClassNames = t.Classes.Select(x => x.ClassName).ToList(),
        Classes = t.Classes,
        Totals = new
        {
            t.Total, t.Approved, Missing = t.Classes.Sum(x => x.Missing), AwaitingInspection = t.Classes.Sum(x => x.AwaitingInspection),
            AwaitingReview = t.Classes.Sum(x => x.AwaitingReview), Rejected = t.Classes.Sum(x => x.Rejected), Expired = t.Classes.Sum(x => x.Expired),
        },
    };
}
