namespace CollectionWorker.Roster;

/// <summary>
/// One thing wrong with a roster: where (sheet row and column, or the whole file when Row is null)
/// and what, in Chinese and English.
/// </summary>
public sealed record RosterProblem(int? Row, string? Column, string MessageZh, string MessageEn)
{
    public string Where => (Row, Column) switch
    {
        (null, null) => "file",
        (null, { } c) => $"column {c}",
        ({ } r, null) => $"row {r}",
        ({ } r, { } c) => $"row {r}, column {c}",
    };

    public override string ToString() => $"{Where}: {MessageEn} / {MessageZh}";
}
