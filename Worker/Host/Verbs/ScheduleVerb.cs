using System.Text.Json;
using CollectionWorker.Campaign;
using CollectionWorker.Deadlines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>schedule [--json]: the next firing of every milestone and the nearest 20 deadlines, in campaign time (Asia/Shanghai).</summary>
public sealed class ScheduleVerb : IVerb
{
    public const int Nearest = 20;

    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var clock = host.Services.GetRequiredService<CampaignClock>();
        var (milestones, deadlines, pending) = await host.Services.GetRequiredService<ScheduleReport>().ReadAsync(Nearest, ct);
        var now = clock.UtcNow;
        string Local(DateTimeOffset? t) => t is { } x ? clock.ToLocal(x).ToString("yyyy-MM-dd'T'HH:mm:sszzz") : "";

        if (commandLine.Json)
        {
            var json = JsonSerializer.Serialize(new
            {
                time_zone = clock.Zone.Id,
                now = Local(now),
                milestones = milestones.Select(m => new { name = m.Name, template = m.Template, next_fire = m.NextFire is null ? null : Local(m.NextFire), state = m.State }),
                pending_deadlines = pending,
                deadlines = deadlines.Select(d => new
                {
                    id = d.Id, kind = d.Kind, submission_id = d.SubmissionId, student_number = d.StudentNumber, name = d.StudentName,
                    @class = d.ClassName, due = Local(d.DueAt), hours_left = Math.Round((d.DueAt - now).TotalHours, 1),
                }),
            }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await stdout.WriteLineAsync(json);
            return Cli.Ok;
        }

        await stdout.WriteLineAsync($"Campaign time zone {clock.Zone.Id}; now {clock.Format(now)}");
        var mt = new TextTable("里程碑 Milestone", "模板 Template", "下次 Next fire", "状态 State");
        foreach (var m in milestones) mt.Add(m.Name, m.Template, m.NextFire is null ? "-" : clock.Format(m.NextFire.Value), m.State);
        await mt.WriteAsync(stdout);
        await stdout.WriteLineAsync();
        await stdout.WriteLineAsync(pending == 0 ? "No pending deadlines." : $"Nearest {deadlines.Count} of {pending} pending deadline(s):");
        if (deadlines.Count == 0) return Cli.Ok;
        var dt = new TextTable("截止 Due", "剩余小时 Hours left", "类型 Kind", "学号 Number", "姓名 Name", "班级 Class", "上传 Submission");
        foreach (var d in deadlines)
            dt.Add(clock.Format(d.DueAt), (d.DueAt - now).TotalHours.ToString("0.0"), d.Kind, d.StudentNumber, d.StudentName, d.ClassName, d.SubmissionId);
        await dt.WriteAsync(stdout);
        return Cli.Ok;
    }
}
