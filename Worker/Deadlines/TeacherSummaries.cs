using CollectionWorker.Store;

namespace CollectionWorker.Deadlines;

/// <summary>Per-class counts a teacher's notice shows.</summary>
public sealed record ClassCounts(string ClassName, int Total, int Approved, int AwaitingInspection, int AwaitingReview, int Rejected,
    int Missing, int Expired);

/// <summary>One teacher with eligible students, and what their classes stand at (from the status machine).</summary>
public sealed record TeacherSummary(string TeacherEmail, string TeacherName, IReadOnlyList<ClassCounts> Classes)
{
    public int Total => Classes.Sum(c => c.Total);
    public int Approved => Classes.Sum(c => c.Approved);
    public int Open => Total - Approved;
    public bool HasPendingDeadline => Classes.Any(c => c.AwaitingReview > 0 || c.Rejected > 0);
}

/// <summary>Groups eligible students by teacher e-mail, the unit every teacher notice is sent per.</summary>
public sealed class TeacherSummaries(ProgressReport progress)
{
    public async Task<List<TeacherSummary>> ReadAsync(CancellationToken ct)
    {
        var students = await progress.StudentsAsync(ct: ct);
        return students.Where(s => s.Status != StudentStatus.NotEligible && s.InRoster)
            .GroupBy(s => s.TeacherEmail.Trim().ToLowerInvariant())
            .Select(g => new TeacherSummary(g.Key, g.First().TeacherName,
                g.GroupBy(s => s.ClassName).OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => new ClassCounts(c.Key, c.Count(),
                        c.Count(s => s.Status == StudentStatus.Approved),
                        c.Count(s => s.Status == StudentStatus.AwaitingInspection),
                        c.Count(s => s.Status == StudentStatus.AwaitingReview),
                        c.Count(s => s.Status == StudentStatus.Rejected),
                        c.Count(s => s.Status == StudentStatus.NotSubmitted),
                        c.Count(s => s.Status == StudentStatus.Expired))).ToList()))
            .OrderBy(t => t.TeacherEmail, StringComparer.Ordinal)
            .ToList();
    }
}
