using CollectionWorker.Sheets;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CollectionWorker.Campaign;
using CollectionWorker.Report;
using CollectionWorker.Roster;
using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>
/// history STUDENT [--json]: one student's timeline in campaign time. ID numbers are masked
/// (440605********1234) everywhere in the output, except the one typed on the command line.
/// </summary>
public sealed partial class HistoryVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var typed = commandLine.Arguments[0];
        var history = await host.Services.GetRequiredService<StudentHistoryReader>().ReadAsync(typed, ct)
                      ?? throw new InputRejectedException($"history {typed}：没有该学号或身份证号的学生 (no student with that student number or ID number).");
        var clock = host.Services.GetRequiredService<CampaignClock>();
        string Local(DateTimeOffset t) => clock.ToLocal(t).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var output = commandLine.Json ? Json(history, clock, Local) : Text(history, clock, Local);
        await stdout.WriteAsync(Mask(output, typed));
        return Cli.Ok;
    }

    private static string Json(StudentHistory history, CampaignClock clock, Func<DateTimeOffset, string> local)
    {
        var s = history.Student;
        object? Value(object? v) => v switch
        {
            DateTimeOffset t => local(t),
            IReadOnlyDictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => Value(kv.Value)),
            IEnumerable<Dictionary<string, object?>> list => list.Select(d => Value(d)).ToList(),
            _ => v,
        };
        return JsonSerializer.Serialize(new
        {
            time_zone = clock.Zone.Id,
            student = new
            {
                student_number = s.StudentNumber, national_id = s.NationalId, name = s.Name, @class = s.ClassName, cohort = s.Cohort,
                teacher = s.TeacherName, in_latest_roster = s.InRoster,
                status = StudentStatusMachine.Describe(s.Status, chinese: false), status_zh = StudentStatusMachine.Describe(s.Status, chinese: true),
                resubmit_deadline = s.ResubmitDeadline is { } d && s.Status == StudentStatus.Rejected ? local(d) : null,
            },
            events = history.Events.Select(e => new { at = local(e.At), kind = e.Kind, zh = e.Zh, en = e.En, details = Value(e.Details) }),
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string Text(StudentHistory history, CampaignClock clock, Func<DateTimeOffset, string> local)
    {
        var s = history.Student;
        var w = new StringWriter();
        w.WriteLine($"{s.Name}  学号 {s.StudentNumber}  身份证号 {s.NationalId}  班级 {s.ClassName}  班主任 {s.TeacherName}");
        w.Write($"状态 Status: {StudentStatusMachine.Describe(s.Status, true)} {StudentStatusMachine.Describe(s.Status, false)}");
        if (s.Status == StudentStatus.Rejected && s.ResubmitDeadline is { } d) w.Write($"; 重新上传截止 resubmit by {clock.Format(d)}");
        if (!s.InRoster) w.Write("; 不在最新名单中 not in the latest roster");
        w.WriteLine();
        w.WriteLine($"时间 Times: {clock.Zone.Id}");
        w.WriteLine();
        if (history.Events.Count == 0) w.WriteLine("(还没有记录 nothing recorded yet)");
        foreach (var e in history.Events)
        {
            w.WriteLine($"{clock.ToLocal(e.At):yyyy-MM-dd HH:mm zzz}  {e.Zh}");
            w.WriteLine($"{"",25}{e.En}");
            foreach (var line in DetailLines(e, clock)) w.WriteLine($"{"",25}{line}");
        }
        return w.ToString();
    }

    /// <summary>Where things are and what was measured: the lines a person looks for under an event.</summary>
    private static IEnumerable<string> DetailLines(HistoryEvent e, CampaignClock clock)
    {
        var d = e.Details;
        switch (e.Kind)
        {
            case HistoryEvent.Upload:
                yield return $"原图 original: {d["archived_at"]}";
                break;
            case HistoryEvent.Inspection:
                if (d["findings"] is List<Dictionary<string, object?>> findings)
                    foreach (var f in findings.Where(f => (string?)f["severity"] != "info"))
                        yield return $"- {f["code"]} ({f["severity"]}): {f["value"]}, 要求 limit {f["limit"]}";
                if (d["evidence_image"] is string evidence)
                    yield return $"标注图 evidence: {evidence}" + (File.Exists(evidence) ? "" : " (文件不在 file missing)");
                break;
            case HistoryEvent.Decision when d["note"] is string note:
                yield return $"备注 note: {note}";
                break;
            case HistoryEvent.Deadline:
                yield return $"截止 due: {clock.Format((DateTimeOffset)d["due_at"]!)}";
                break;
            case HistoryEvent.Export:
                yield return $"文件 file: {d["file"]}";
                break;
        }
    }

    /// <summary>Every 18-character ID number in the output is masked, except the one the admin typed.</summary>
    public static string Mask(string output, string typed) =>
        NationalIdPattern().Replace(output, m => string.Equals(m.Value, typed.Trim(), StringComparison.OrdinalIgnoreCase) ? m.Value : NationalId.Mask(m.Value));

    [GeneratedRegex(@"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")]
    private static partial Regex NationalIdPattern();
}
