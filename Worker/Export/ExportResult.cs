namespace CollectionWorker.Export;

/// <summary>What one export run did, per cohort and in total.</summary>
/// <param name="ApprovedUnpaid">approved students who have not fully paid the fee (null: no payment export imported yet)</param>
public sealed record ExportResult(string Directory, IReadOnlyList<CohortExport> Cohorts, IReadOnlyList<string> Problems, string Manifest,
    int? ApprovedUnpaid = null)
{
    public int Added => Cohorts.Sum(c => c.Added);
    public int Unchanged => Cohorts.Sum(c => c.Unchanged);
    public int Missing => Cohorts.Sum(c => c.Missing);
    public int Refused => Cohorts.Sum(c => c.Refused);
}

public sealed record CohortExport(string Cohort, string Folder, string Zip, int Eligible, int Added, int Unchanged, int Missing,
    int Refused = 0);
