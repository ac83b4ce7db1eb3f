using Dapper;

namespace CollectionWorker.Store;

/// <summary>Counts for one class, as every report shows them.</summary>
public sealed record ClassProgress(
    string ClassName,
    string Teacher,
    int Total,
    int Approved,
    int AwaitingInspection,
    int AwaitingReview,
    int Rejected,
    int Missing,
    int Expired,
    int NotInLatestRoster)
{
    public double CompletionPercent => Total == 0 ? 0 : Math.Round(100.0 * Approved / Total, 1);

    public static ClassProgress Of(string className, IReadOnlyCollection<StudentProgress> students) => new(
        className,
        string.Join(", ", students.Select(s => s.TeacherName).Distinct()),
        students.Count,
        students.Count(s => s.Status == StudentStatus.Approved),
        students.Count(s => s.Status == StudentStatus.AwaitingInspection),
        students.Count(s => s.Status == StudentStatus.AwaitingReview),
        students.Count(s => s.Status == StudentStatus.Rejected),
        students.Count(s => s.Status == StudentStatus.NotSubmitted),
        students.Count(s => s.Status == StudentStatus.Expired),
        students.Count(s => !s.InRoster));
}

/// <summary>One student with the status the status machine gives and what reports show about them.</summary>
public sealed record StudentProgress(
    long Id, string StudentNumber, string NationalId, string Name, string Gender, string BirthDate, string Grade, string Major,
    string ClassName, string School, string Cohort, string TeacherName, string TeacherEmail, bool InRoster, StudentStatus Status,
    long? SubmissionId, DateTimeOffset? LastUploadAt, DateTimeOffset? ResubmitDeadline, string? ReasonsZh, string? ReasonsEn,
    string? Sha256 = null, DateTimeOffset? DecidedAt = null, string? DecidedBy = null)
{
    /// <summary>The roster's phone number for the student, if any; shown only in the teacher's roster.</summary>
    public string? Phone { get; init; }

    /// <summary>The roster's e-mail address of the student, if any.</summary>
    public string? StudentEmail { get; init; }
}

/// <summary>Which students a report covers.</summary>
public sealed record StudentFilter(string? ClassName = null, string? TeacherEmail = null, string? StudentNumber = null);

/// <summary>Reads students with their latest submission and asks the status machine for each.</summary>
public sealed class ProgressReport(Database database, TimeProvider time)
{
    public async Task<List<StudentProgress>> StudentsAsync(StudentFilter? filter = null, CancellationToken ct = default)
    {
        filter ??= new StudentFilter();
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(Query(filter), filter);
        var now = time.GetUtcNow();
        return rows.Select(r =>
        {
            var deadline = r.resubmit_deadline is null ? (DateTimeOffset?)null : UtcTimestamp.Parse(r.resubmit_deadline);
            var latest = r.state is null ? null : new LatestSubmission(SubmissionStates.Parse(r.state), deadline);
            return new StudentProgress(r.id, r.student_number, r.national_id, r.name, r.gender, r.birth_date, r.grade, r.major,
                r.class_name, r.school, r.cohort, r.teacher_name, r.teacher_email, r.in_roster == 1,
                StudentStatusMachine.Decide(r.eligible == 1, latest, now),
                r.submission_id, r.received_at is null ? null : UtcTimestamp.Parse(r.received_at), deadline, r.reasons_zh, r.reasons_en,
                r.sha256, r.state_changed_at is null ? null : UtcTimestamp.Parse(r.state_changed_at), r.decided_by)
            {
                Phone = r.phone, StudentEmail = r.student_email,
            };
        }).ToList();
    }

    /// <summary>The students query for a filter (internal: the tests read its plan).</summary>
    internal static string Query(StudentFilter filter) =>
        $"""
            SELECT s.id, s.student_number, s.national_id, s.name, s.gender, s.birth_date, s.grade, s.major, s.class_name, s.school,
                   coalesce(s.cohort, '') AS cohort, s.teacher_name, s.teacher_email, s.eligible, s.in_roster,
                   sub.id AS submission_id, sub.state, sub.received_at, sub.resubmit_deadline, sub.reasons_zh, sub.reasons_en,
                   sub.sha256, sub.state_changed_at, sub.decided_by, s.phone, s.student_email
            FROM students s
            LEFT JOIN submissions sub ON sub.id = {SubmissionLedger.CurrentIdOf("s.id")}
            {Where(filter)}
            ORDER BY s.class_name, s.student_number
            """;

    /// <summary>
    /// Only the filters that are set, each a plain comparison its index serves (the teacher's e-mail: the NOCASE
    /// index of migration 0014). "@x IS NULL OR column = @x" would read every student on SQLite whatever @x is: with
    /// 200,000 students, each teacher's digest then took a scan of the whole roster.
    /// </summary>
    private static string Where(StudentFilter filter)
    {
        var conditions = new List<string>();
        if (filter.ClassName is not null) conditions.Add("s.class_name = @ClassName");
        if (filter.TeacherEmail is not null) conditions.Add("s.teacher_email = @TeacherEmail COLLATE NOCASE");
        if (filter.StudentNumber is not null) conditions.Add("s.student_number = @StudentNumber");
        return conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
    }

    /// <summary>Per-class counts of eligible students; not-eligible students are in no count.</summary>
    public async Task<List<ClassProgress>> ByClassAsync(StudentFilter? filter = null, CancellationToken ct = default) =>
        ByClass(await StudentsAsync(filter, ct));

    public static List<ClassProgress> ByClass(IEnumerable<StudentProgress> students) =>
        students.Where(s => s.Status != StudentStatus.NotEligible)
            .GroupBy(s => s.ClassName)
            .Select(g => ClassProgress.Of(g.Key, g.ToList()))
            .OrderBy(c => c.ClassName, StringComparer.Ordinal)
            .ToList();

    /// <summary>Settable properties, not a positional record: Dapper then maps by name whatever types SQLite reports for an empty result.</summary>
    private sealed class Row
    {
        public long id { get; set; }
        public string student_number { get; set; } = "";
        public string national_id { get; set; } = "";
        public string name { get; set; } = "";
        public string gender { get; set; } = "";
        public string birth_date { get; set; } = "";
        public string grade { get; set; } = "";
        public string major { get; set; } = "";
        public string class_name { get; set; } = "";
        public string school { get; set; } = "";
        public string cohort { get; set; } = "";
        public string teacher_name { get; set; } = "";
        public string teacher_email { get; set; } = "";
        public long eligible { get; set; }
        public long in_roster { get; set; }
        public long? submission_id { get; set; }
        public string? state { get; set; }
        public string? received_at { get; set; }
        public string? resubmit_deadline { get; set; }
        public string? reasons_zh { get; set; }
        public string? reasons_en { get; set; }
        public string? sha256 { get; set; }
        public string? state_changed_at { get; set; }
        public string? decided_by { get; set; }
        public string? phone { get; set; }
        public string? student_email { get; set; }
    }
}
