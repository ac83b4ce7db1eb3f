using System.Data.Common;
using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Review;

/// <summary>One submission as a review sheet shows it.</summary>
public sealed record ReviewItem(
    long SubmissionId, string Sha256, string StudentNumber, string Name, string Gender, string ClassName, string Cohort,
    DateTimeOffset ReceivedAt, DateTimeOffset StateChangedAt, DateTimeOffset? ResubmitDeadline, string? ReasonsZh, string? ReasonsEn,
    string? EvidenceFile, IReadOnlyList<string> Flags)
{
    /// <summary>The inspection found a hard standard broken (not a 480x640 colour JPEG): the studio cannot overturn it.</summary>
    public bool FailsHardStandard { get; init; }
}

/// <summary>
/// Reads what the studio has to look at: every student's latest submission awaiting review, most
/// urgent (oldest upload) first, and the automatic rejections of the last
/// <see cref="ReviewOptions.AutoRejectedWithin"/> that the studio may overturn.
/// </summary>
public sealed class ReviewQueue(Database database, IOptions<ReviewOptions> options, IHardStandards hardStandards, TimeProvider time)
{
    public async Task<List<ReviewItem>> PendingAsync(CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(Select +
            $"""
            WHERE sub.state = 'awaiting_review' AND sub.id = {SubmissionLedger.CurrentIdOf("sub.student_id")}
            ORDER BY sub.received_at, sub.id
            """);
        var flags = await FlagsAsync(c, "sub.state = 'awaiting_review'");
        return rows.Select(r => r.ToItem(flags)).ToList();
    }

    public async Task<List<ReviewItem>> AutoRejectedAsync(CancellationToken ct = default)
    {
        var since = UtcTimestamp.ToText(time.GetUtcNow() - options.Value.AutoRejectedWithin);
        await using var c = await database.OpenAsync(ct);
        // Rejected by the inspection (its verdict) and still the student's current upload: a newer upload makes overturning moot.
        var rows = await c.QueryAsync<Row>(Select +
            $"""
            WHERE sub.state = 'rejected' AND sub.verdict = 'reject' AND sub.state_changed_at >= @since
              AND sub.id = {SubmissionLedger.CurrentIdOf("sub.student_id")}
            ORDER BY coalesce(sub.resubmit_deadline, sub.state_changed_at), sub.id
            """, new { since });
        var rejectCodes = (await c.QueryAsync<(long SubmissionId, string Code)>(
                """
                SELECT f.submission_id, f.code FROM findings f JOIN submissions sub ON sub.id = f.submission_id
                WHERE f.severity = 'reject' AND sub.state = 'rejected' AND sub.verdict = 'reject' AND sub.state_changed_at >= @since
                """, new { since }))
            .Where(f => !hardStandards.IsJudgement(f.Code)).Select(f => f.SubmissionId).ToHashSet();
        return rows.Select(r => r.ToItem(new Dictionary<long, List<string>>()) with { FailsHardStandard = rejectCodes.Contains(r.id) }).ToList();
    }

    private const string Select =
        """
        SELECT sub.id, sub.sha256, sub.received_at, sub.state_changed_at, sub.resubmit_deadline, sub.reasons_zh, sub.reasons_en, sub.evidence_file,
               s.student_number, s.name, s.gender, s.class_name, coalesce(s.cohort, '') AS cohort
        FROM submissions sub JOIN students s ON s.id = sub.student_id

        """;

    /// <summary>
    /// The automatic inspection's 'review' findings in words, and intake's flags (such as one photo
    /// uploaded for two students) where the store has them.
    /// </summary>
    private static async Task<Dictionary<long, List<string>>> FlagsAsync(DbConnection c, string submissionFilter)
    {
        var result = new Dictionary<long, List<string>>();
        void Add(long id, string text)
        {
            if (!result.TryGetValue(id, out var list)) result[id] = list = [];
            list.Add(text);
        }
        foreach (var f in await c.QueryAsync<(long SubmissionId, string Zh, string En, string Value, string Limit)>(
                     $"""
                      SELECT f.submission_id, f.message_zh, f.message_en, f.value, f.limit_text
                      FROM findings f JOIN submissions sub ON sub.id = f.submission_id
                      WHERE f.severity = 'review' AND {submissionFilter}
                      ORDER BY f.submission_id, f.id
                      """))
        {
            var measured = f.Value.Length == 0 ? "" : f.Limit.Length == 0 ? $"（{f.Value}）" : $"（{f.Value}；{f.Limit}）";
            Add(f.SubmissionId, $"{f.Zh}{measured} / {f.En}");
        }
        // submission_flags is intake's table (migration 0002); a store without intake simply has none.
        var hasFlags = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'submission_flags'") > 0;
        if (hasFlags)
            foreach (var f in await c.QueryAsync<(long SubmissionId, string Zh, string En)>(
                         $"""
                          SELECT f.submission_id, f.message_zh, f.message_en
                          FROM submission_flags f JOIN submissions sub ON sub.id = f.submission_id
                          WHERE {submissionFilter} AND f.code <> '{Intake.SubmissionRecorder.SamePhotoFlag}' ORDER BY f.submission_id, f.id
                          """))
                Add(f.SubmissionId, $"{f.Zh} / {f.En}");
        // One photo for several students: one line per submission, however large the group (older
        // versions' per-pair flag rows are skipped above).
        foreach (var (id, text) in await Intake.SamePhotoGroups.SummariesAsync(c, submissionFilter)) Add(id, text);
        return result;
    }

    /// <summary>Settable properties so Dapper maps by name whatever types SQLite reports.</summary>
    private sealed class Row
    {
        public long id { get; set; }
        public string sha256 { get; set; } = "";
        public string received_at { get; set; } = "";
        public string state_changed_at { get; set; } = "";
        public string? resubmit_deadline { get; set; }
        public string? reasons_zh { get; set; }
        public string? reasons_en { get; set; }
        public string? evidence_file { get; set; }
        public string student_number { get; set; } = "";
        public string name { get; set; } = "";
        public string gender { get; set; } = "";
        public string class_name { get; set; } = "";
        public string cohort { get; set; } = "";

        public ReviewItem ToItem(Dictionary<long, List<string>> flags) => new(id, sha256, student_number, name, gender, class_name, cohort,
            UtcTimestamp.Parse(received_at), UtcTimestamp.Parse(state_changed_at),
            resubmit_deadline is null ? null : UtcTimestamp.Parse(resubmit_deadline), reasons_zh, reasons_en, evidence_file,
            flags.TryGetValue(id, out var f) ? f : []);
    }
}
