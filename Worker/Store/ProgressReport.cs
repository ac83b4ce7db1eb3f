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
}

/// <summary>One eligible or not-eligible student with the status the status machine gives.</summary>
public sealed record StudentProgress(long Id, string StudentNumber, string Name, string ClassName, string TeacherName,
    string TeacherEmail, bool InRoster, StudentStatus Status);

/// <summary>Reads students with their latest submission and asks the status machine for each.</summary>
public sealed class ProgressReport(Database database, TimeProvider time)
{
    public async Task<List<StudentProgress>> StudentsAsync(string? className = null, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(
            """
            SELECT s.id, s.student_number, s.name, s.class_name, s.teacher_name, s.teacher_email, s.eligible, s.in_roster,
                   sub.state, sub.resubmit_deadline
            FROM students s
            LEFT JOIN submissions sub ON sub.id = (SELECT max(id) FROM submissions WHERE student_id = s.id)
            WHERE @className IS NULL OR s.class_name = @className
            ORDER BY s.class_name, s.student_number
            """, new { className });
        var now = time.GetUtcNow();
        return rows.Select(r => new StudentProgress(r.id, r.student_number, r.name, r.class_name, r.teacher_name, r.teacher_email,
            r.in_roster == 1,
            StudentStatusMachine.Decide(r.eligible == 1,
                r.state is null ? null : new LatestSubmission(SubmissionStates.Parse(r.state), r.resubmit_deadline is null ? null : UtcTimestamp.Parse(r.resubmit_deadline)),
                now))).ToList();
    }

    /// <summary>Per-class counts of eligible students; not-eligible students are in no count.</summary>
    public async Task<List<ClassProgress>> ByClassAsync(string? className = null, CancellationToken ct = default)
    {
        var students = await StudentsAsync(className, ct);
        return students.Where(s => s.Status != StudentStatus.NotEligible)
            .GroupBy(s => s.ClassName)
            .Select(g => new ClassProgress(g.Key,
                string.Join(", ", g.Select(s => s.TeacherName).Distinct()),
                g.Count(),
                g.Count(s => s.Status == StudentStatus.Approved),
                g.Count(s => s.Status == StudentStatus.AwaitingInspection),
                g.Count(s => s.Status == StudentStatus.AwaitingReview),
                g.Count(s => s.Status == StudentStatus.Rejected),
                g.Count(s => s.Status == StudentStatus.NotSubmitted),
                g.Count(s => s.Status == StudentStatus.Expired),
                g.Count(s => !s.InRoster)))
            .OrderBy(c => c.ClassName, StringComparer.Ordinal)
            .ToList();
    }

    private sealed record Row(long id, string student_number, string name, string class_name, string teacher_name, string teacher_email,
        long eligible, long in_roster, string? state, string? resubmit_deadline);
}
