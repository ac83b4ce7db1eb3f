namespace CollectionWorker.Export;

/// <summary>What one export run did, per cohort and in total.</summary>
public sealed record ExportResult(string Directory, IReadOnlyList<CohortExport> Cohorts, IReadOnlyList<string> Problems, string Manifest)
{
    public int Added => Cohorts.Sum(c => c.Added);
    public int Unchanged => Cohorts.Sum(c => c.Unchanged);
    public int Missing => Cohorts.Sum(c => c.Missing);
    public int Refused => Cohorts.Sum(c => c.Refused);
}

public sealed record CohortExport(string Cohort, string Folder, string Zip, int Eligible, int Added, int Unchanged, int Missing,
    int Refused = 0);
