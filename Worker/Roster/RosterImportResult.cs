namespace CollectionWorker.Roster;

public sealed record RosterImportResult(
    bool Succeeded,
    IReadOnlyList<RosterProblem> Problems,
    string? ErrorWorkbook,
    int Rows,
    int Added,
    int Updated,
    int Unchanged,
    int FlaggedMissing,
    int NotEligible)
{
    public static RosterImportResult Failed(IReadOnlyList<RosterProblem> problems, string? errorWorkbook) =>
        new(false, problems, errorWorkbook, 0, 0, 0, 0, 0, 0);

    public string Summary => Succeeded
        ? $"Imported {Rows} students: {Added} added, {Updated} updated, {Unchanged} unchanged, {NotEligible} not eligible (outside the campaign's cohorts), {FlaggedMissing} in the store but missing from this roster (flagged, kept)."
        : $"Nothing was imported: {Problems.Count} problem(s).";
}
