using System.Text.Json;
using CollectionWorker.Store;
using Dapper;

namespace CollectionWorker.Report;

/// <summary>
/// Gathers one student's history from the store: roster changes and the audit log, each upload with its
/// inspection (verdict, findings, evidence image), the studio's decision, deadlines, e-mails sent about
/// the student's uploads, and exports. The current status is the status machine's.
/// </summary>
public sealed class StudentHistoryReader(Database database, ProgressReport progress, DataPaths paths, PaymentStanding payments)
{
    /// <summary>The student with this student number or ID number (a lower-case x is read as X), or null.</summary>
    public async Task<StudentHistory?> ReadAsync(string studentNumberOrId, CancellationToken ct = default)
    {
        var key = studentNumberOrId.Trim();
        await using var c = await database.OpenAsync(ct);
        var number = await c.ExecuteScalarAsync<string?>(
            "SELECT student_number FROM students WHERE student_number = @key OR national_id = @id ORDER BY student_number = @key DESC LIMIT 1",
            new { key, id = key.ToUpperInvariant() });
        if (number is null) return null;
        var student = (await progress.StudentsAsync(new StudentFilter(StudentNumber: number), ct)).Single();
        var events = new List<HistoryEvent>();

        foreach (var a in await c.QueryAsync<AuditRow>(
                     """
                     SELECT at, actor, action, subject, detail FROM audit_log
                     WHERE subject = @number OR subject IN (SELECT 'submission:' || id FROM submissions WHERE student_id = @id)
                     ORDER BY id
                     """, new { number, id = student.Id }))
            if (FromAudit(a) is { } e) events.Add(e);

        var submissions = (await c.QueryAsync<SubmissionRow>(
            "SELECT id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, verdict, evidence_file FROM submissions WHERE student_id = @id ORDER BY id",
            new { id = student.Id })).ToList();
        var ids = submissions.Select(s => s.id).ToList();
        var findings = (await c.QueryAsync<FindingRow>(
            "SELECT submission_id, code, severity, value, limit_text, message_zh, message_en FROM findings WHERE submission_id IN @ids ORDER BY id",
            new { ids })).ToLookup(f => f.submission_id);
        var inspections = events.Where(e => e.Kind == HistoryEvent.Inspection).ToList();
        events.RemoveAll(e => e.Kind == HistoryEvent.Inspection);
        foreach (var s in submissions)
        {
            events.Add(new HistoryEvent(UtcTimestamp.Parse(s.received_at), HistoryEvent.Upload,
                $"第 {s.attempt} 次上传：{s.original_name}（{WindowZh(s.window_stamp)}）", $"upload #{s.attempt}: {s.original_name} ({s.window_stamp.Replace('_', ' ')})",
                new Dictionary<string, object?>
                {
                    ["submission_id"] = s.id, ["attempt"] = s.attempt, ["file"] = s.original_name, ["bytes"] = s.size_bytes, ["sha256"] = s.sha256,
                    ["window"] = s.window_stamp, ["state_now"] = s.state, ["archived_at"] = paths.ArchiveFileFor(s.sha256),
                }));
            if (s.verdict is null) continue;
            // The audit says when it was inspected; without that entry, the upload's time stands in.
            var audit = inspections.FirstOrDefault(e => Equals(e.Details["submission_id"], s.id));
            var list = findings[s.id].Select(f => new Dictionary<string, object?>
            {
                ["code"] = f.code, ["severity"] = f.severity, ["value"] = f.value, ["limit"] = f.limit_text, ["zh"] = f.message_zh, ["en"] = f.message_en,
            }).ToList();
            var shown = list.Where(f => (string?)f["severity"] != "info").ToList();
            events.Add(new HistoryEvent(audit?.At ?? UtcTimestamp.Parse(s.received_at), HistoryEvent.Inspection,
                $"自动检测：{VerdictZh(s.verdict)}" + (shown.Count > 0 ? "：" + string.Join("；", shown.Select(f => f["zh"])) : ""),
                $"inspection: {s.verdict}" + (shown.Count > 0 ? ": " + string.Join("; ", shown.Select(f => f["en"])) : ""),
                new Dictionary<string, object?>
                {
                    ["submission_id"] = s.id, ["verdict"] = s.verdict, ["findings"] = list,
                    ["evidence_image"] = s.evidence_file is null ? null : Path.GetFullPath(Path.Combine(paths.Root, s.evidence_file)),
                }));
        }

        foreach (var d in await c.QueryAsync<DecisionRow>(
                     "SELECT submission_id, decision, reasons_zh, reasons_en, note, reviewer, decided_at, sheet_row FROM review_decisions WHERE submission_id IN @ids",
                     new { ids }))
            events.Add(new HistoryEvent(UtcTimestamp.Parse(d.decided_at), HistoryEvent.Decision,
                d.decision == "approve" ? $"图片社审核：通过（{d.reviewer}）" : $"图片社审核：不通过（{d.reviewer}）：{d.reasons_zh}",
                d.decision == "approve" ? $"studio: approved ({d.reviewer})" : $"studio: rejected ({d.reviewer}): {d.reasons_en}",
                new Dictionary<string, object?>
                {
                    ["submission_id"] = d.submission_id, ["decision"] = d.decision, ["reviewer"] = d.reviewer, ["reasons_zh"] = d.reasons_zh,
                    ["reasons_en"] = d.reasons_en, ["note"] = d.note, ["sheet_row"] = d.sheet_row,
                }));

        foreach (var d in await c.QueryAsync<DeadlineRow>(
                     "SELECT kind, submission_id, due_at, state, created_at, closed_at, outcome FROM deadlines WHERE submission_id IN @ids ORDER BY id",
                     new { ids }))
        {
            var (zh, en) = DeadlineWords(d.kind);
            var details = new Dictionary<string, object?> { ["submission_id"] = d.submission_id, ["kind"] = d.kind, ["due_at"] = UtcTimestamp.Parse(d.due_at), ["state"] = d.state };
            events.Add(new HistoryEvent(UtcTimestamp.Parse(d.created_at), HistoryEvent.Deadline, $"截止时间：{zh}", $"deadline set: {en}", details));
            if (d.closed_at is not null)
                events.Add(new HistoryEvent(UtcTimestamp.Parse(d.closed_at), HistoryEvent.DeadlineClosed,
                    $"截止时间{(d.state == "done" ? "已到" : "已取消")}：{zh}（{d.outcome}）", $"deadline {d.state}: {en} ({d.outcome})",
                    new Dictionary<string, object?> { ["submission_id"] = d.submission_id, ["kind"] = d.kind, ["state"] = d.state, ["outcome"] = d.outcome }));
        }

        // E-mails about an upload carry its id in their key: rejected:ID:…, expired:ID:…, sla-warning:ID:…, sla-escalation:ID:…,
        // and the student's own: student-receipt:ID:student and the like.
        var keys = ids.SelectMany(id => MailKeyPrefixes.Select(p => $"{p}:{id}:")).ToList();
        if (keys.Count > 0)
        {
            var mails = await c.QueryAsync<MailRow>(
                "SELECT idempotency_key, template, recipient, state, created_at, sent_at, last_error FROM outbox WHERE "
                + string.Join(" OR ", keys.Select((_, i) => $"substr(idempotency_key, 1, length(@k{i})) = @k{i}")) + " ORDER BY id",
                new DynamicParameters(keys.Select((k, i) => new KeyValuePair<string, object>($"k{i}", k))));
            foreach (var m in mails)
                events.Add(new HistoryEvent(UtcTimestamp.Parse(m.sent_at ?? m.created_at), HistoryEvent.Mail,
                    $"邮件「{m.template}」→ {m.recipient}（{MailStateZh(m.state)}）", $"e-mail '{m.template}' to {m.recipient} ({m.state})",
                    new Dictionary<string, object?>
                    {
                        ["template"] = m.template, ["recipient"] = m.recipient, ["state"] = m.state, ["key"] = m.idempotency_key,
                        ["queued_at"] = UtcTimestamp.Parse(m.created_at), ["sent_at"] = m.sent_at is null ? null : UtcTimestamp.Parse(m.sent_at),
                        ["error"] = m.last_error,
                    }));
        }

        foreach (var x in await c.QueryAsync<ExportRow>(
                     "SELECT submission_id, file_name, export_dir, exported_at FROM exported_photos WHERE student_id = @id ORDER BY id", new { id = student.Id }))
            events.Add(new HistoryEvent(UtcTimestamp.Parse(x.exported_at), HistoryEvent.Export, $"已导出：{x.file_name}", $"exported as {x.file_name}",
                new Dictionary<string, object?> { ["submission_id"] = x.submission_id, ["file"] = Path.Combine(x.export_dir, x.file_name) }));

        // The fee: each payment matched to this student (by student number, then ID number), and its refund.
        foreach (var p in (await payments.ReadAsync(ct)).Entries.Where(p => p.StudentId == student.Id))
        {
            var details = new Dictionary<string, object?> { ["transaction_id"] = p.TransactionId, ["amount_yuan"] = p.AmountYuan, ["payer"] = p.PayerName };
            events.Add(new HistoryEvent(p.PaidAt, HistoryEvent.Payment, $"缴费 {StudentPayment.Yuan(p.AmountYuan)} 元（交易号 {p.TransactionId}）",
                $"paid {StudentPayment.Yuan(p.AmountYuan)} yuan (transaction {p.TransactionId})", details));
            if (p.RefundedAt is { } refunded)
                events.Add(new HistoryEvent(refunded, HistoryEvent.Refund, $"退款 {StudentPayment.Yuan(p.RefundYuan)} 元（交易号 {p.TransactionId}）",
                    $"refunded {StudentPayment.Yuan(p.RefundYuan)} yuan (transaction {p.TransactionId})",
                    new Dictionary<string, object?> { ["transaction_id"] = p.TransactionId, ["refund_yuan"] = p.RefundYuan }));
        }

        return new StudentHistory(student, events.OrderBy(e => e.At).ThenBy(e => Order(e.Kind)).ToList());
    }

    private static readonly string[] MailKeyPrefixes =
        ["rejected", "expired", "sla-warning", "sla-escalation", "student-receipt", "student-rejected", "student-approved", "student-expired"];

    private static HistoryEvent? FromAudit(AuditRow a)
    {
        var at = UtcTimestamp.Parse(a.at);
        JsonElement? detail = a.detail is null ? null : JsonSerializer.Deserialize<JsonElement>(a.detail);
        string? Text(string name) => detail is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.Array ? string.Join(", ", v.EnumerateArray().Select(x => x.ToString())) : v.ToString()
            : null;
        var submissionId = a.subject.StartsWith("submission:", StringComparison.Ordinal) ? long.Parse(a.subject["submission:".Length..]) : (long?)null;
        var details = new Dictionary<string, object?> { ["actor"] = a.actor, ["action"] = a.action };
        if (submissionId is not null) details["submission_id"] = submissionId;
        switch (a.action)
        {
            case "student.added":
                details["file"] = Text("file");
                return new HistoryEvent(at, HistoryEvent.Roster, $"名单导入：新增（{Text("file")}）", $"roster: added ({Text("file")})", details);
            case "student.updated":
                details["file"] = Text("file");
                details["changes"] = Text("changes");
                return new HistoryEvent(at, HistoryEvent.Roster, $"名单更新：{Text("changes")}（{Text("file")}）", $"roster: changed {Text("changes")} ({Text("file")})", details);
            case "student.missing_from_roster":
                details["file"] = Text("file");
                return new HistoryEvent(at, HistoryEvent.Roster, $"不在最新名单中（{Text("file")}）", $"roster: missing from the latest import ({Text("file")})", details);
            case "submission inspected":
                return new HistoryEvent(at, HistoryEvent.Inspection, "自动检测", "inspection", details);
            case "submission expired":
                details["deadline"] = Text("deadline");
                return new HistoryEvent(at, HistoryEvent.Expired, "逾期未重新上传，视为没拍", "expired: no new upload before the deadline (counted as not photographed)", details);
            case "review overdue":
                return new HistoryEvent(at, HistoryEvent.ReviewOverdue, "图片社超时未审，已上报", "review overdue: escalated", details);
            default:
                return null; // review-sheet bookkeeping: the decision itself comes from review_decisions
        }
    }

    private static int Order(string kind) => kind switch
    {
        HistoryEvent.Roster => 0, HistoryEvent.Upload => 1, HistoryEvent.Inspection => 2, HistoryEvent.Decision => 3, HistoryEvent.DeadlineClosed => 4,
        HistoryEvent.Deadline => 5, HistoryEvent.Expired => 6, _ => 7,
    };

    private static string WindowZh(string stamp) => stamp switch { "early" => "窗口开放前", "late" => "截止后", _ => "窗口内" };

    private static string VerdictZh(string? verdict) => verdict switch
    {
        "accept" => "合格", "review" => "需图片社复核", "reject" => "不合格，已退回", _ => "未完成",
    };

    private static string MailStateZh(string state) => state switch
    {
        "sent" => "已发送", "failed" => "发送失败", "sending" => "发送中", _ => "待发送",
    };

    private static (string Zh, string En) DeadlineWords(string kind) => kind switch
    {
        "resubmission" => ("重新上传截止", "resubmission"),
        "review_sla_warning" => ("审核超时提醒", "review SLA warning"),
        "review_sla_escalation" => ("审核超时上报", "review SLA escalation"),
        _ => (kind, kind),
    };

    private sealed class AuditRow { public string at { get; set; } = ""; public string actor { get; set; } = ""; public string action { get; set; } = ""; public string subject { get; set; } = ""; public string? detail { get; set; } }

    private sealed class SubmissionRow
    {
        public long id { get; set; } public long attempt { get; set; } public string sha256 { get; set; } = ""; public string original_name { get; set; } = "";
        public long size_bytes { get; set; } public string received_at { get; set; } = ""; public string window_stamp { get; set; } = "";
        public string state { get; set; } = ""; public string? verdict { get; set; } public string? evidence_file { get; set; }
    }

    private sealed class FindingRow
    {
        public long submission_id { get; set; } public string code { get; set; } = ""; public string severity { get; set; } = ""; public string value { get; set; } = "";
        public string limit_text { get; set; } = ""; public string message_zh { get; set; } = ""; public string message_en { get; set; } = "";
    }

    private sealed class DecisionRow
    {
        public long submission_id { get; set; } public string decision { get; set; } = ""; public string? reasons_zh { get; set; } public string? reasons_en { get; set; }
        public string? note { get; set; } public string reviewer { get; set; } = ""; public string decided_at { get; set; } = ""; public string sheet_row { get; set; } = "";
    }

    private sealed class DeadlineRow
    {
        public string kind { get; set; } = ""; public long submission_id { get; set; } public string due_at { get; set; } = ""; public string state { get; set; } = "";
        public string created_at { get; set; } = ""; public string? closed_at { get; set; } public string? outcome { get; set; }
    }

    private sealed class MailRow
    {
        public string idempotency_key { get; set; } = ""; public string template { get; set; } = ""; public string recipient { get; set; } = "";
        public string state { get; set; } = ""; public string created_at { get; set; } = ""; public string? sent_at { get; set; } public string? last_error { get; set; }
    }

    private sealed class ExportRow
    {
        public long submission_id { get; set; } public string file_name { get; set; } = ""; public string export_dir { get; set; } = ""; public string exported_at { get; set; } = "";
    }
}
