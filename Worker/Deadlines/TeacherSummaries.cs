using CollectionWorker.Store;

namespace CollectionWorker.Deadlines;

/// <summary>One teacher with eligible students, and what their classes stand at (from the status machine).</summary>
public sealed record TeacherSummary(string TeacherEmail, string TeacherName, IReadOnlyList<ClassProgress> Classes)
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
                ProgressReport.ByClass(g)))
            .OrderBy(t => t.TeacherEmail, StringComparer.Ordinal)
            .ToList();
    }
}
