using Dapper;

namespace CollectionWorker.Store;

/// <summary>Per cohort: eligible students, approved photos, and how many of those have been exported.</summary>
public sealed record CohortExportProgress(string Cohort, int Eligible, int Approved, int Exported)
{
    public int StillMissing => Eligible - Exported;
}

public sealed class ExportProgress(ProgressReport progress, Database database)
{
    /// <param name="everyStudent">
    /// the whole roster as <see cref="ProgressReport.StudentsAsync"/> read it, when the caller has it already (status, the
    /// admin report): with 200,000 students a second read of them all is seconds; null reads them.
    /// </param>
    public async Task<List<CohortExportProgress>> ByCohortAsync(IReadOnlyCollection<StudentProgress>? everyStudent = null, CancellationToken ct = default)
    {
        var students = (everyStudent ?? await progress.StudentsAsync(ct: ct)).Where(s => s.Status != StudentStatus.NotEligible).ToList();
        await using var c = await database.OpenAsync(ct);
        var exported = (await c.QueryAsync<long>("SELECT DISTINCT submission_id FROM exported_photos")).ToHashSet();
        return students.GroupBy(s => s.Cohort).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CohortExportProgress(g.Key, g.Count(),
                g.Count(s => s.Status == StudentStatus.Approved),
                g.Count(s => s.Status == StudentStatus.Approved && s.SubmissionId is { } id && exported.Contains(id))))
            .ToList();
    }
}
