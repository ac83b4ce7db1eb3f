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
    string? Cohort);
