namespace CollectionWorker.Roster;

/// <summary>A validated roster row, normalised, ready to store.</summary>
public sealed record StudentRecord(
    int SourceRow,
    string StudentNumber,
    string NationalId,
    string Name,
    string Gender,
    DateOnly BirthDate,
    string Grade,
    string Major,
    string ClassName,
    string School,
    string Track,
    string TeacherName,
    string TeacherEmail,
    bool Eligible,
    string? Cohort)
{
    /// <summary>The student's own address; null when the roster has no 学生邮箱 column (the stored one is kept), "" when the cell is empty.</summary>
    public string? StudentEmail { get; init; }

    /// <summary>The student's phone, normalised; null when the roster has no phone column (the stored one is kept), "" when empty.</summary>
    public string? Phone { get; init; }
}
