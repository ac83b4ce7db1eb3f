namespace CollectionWorker.Store;

/// <summary>A hard standard a photo fails (a 480x640 colour JPEG is required), with the measured value and the limit.</summary>
public sealed record StandardFailure(string Code, string Value, string Limit, string MessageZh, string MessageEn);

/// <summary>
/// The standards no reviewer may overturn, asked for where a photo leaves (the review import's approval,
/// the export). Implemented by the inspection (<c>Inspection/HardStandards.cs</c>) and registered in the
/// host, so Review and Export ask through the store's contract instead of the inspection's classes.
/// </summary>
public interface IHardStandards
{
    /// <summary>The hard standards the file at <paramref name="path"/> fails; empty when it may go to the national record.</summary>
    Task<IReadOnlyList<StandardFailure>> FailuresOfFileAsync(string path, CancellationToken ct = default);

    /// <summary>True for a finding code a person may overrule (a judgement call), false for a hard standard.</summary>
    bool IsJudgement(string code);
}

public static class StandardFailures
{
    /// <summary>"文件内容不是 JPG…（PNG content，应为 JPEG）" — one entry per failed standard, Chinese first.</summary>
    public static string DescribeZh(IEnumerable<StandardFailure> failures) =>
        string.Join("；", failures.Select(f => $"{f.MessageZh}（{f.Value}，应为 {f.Limit}）"));

    public static string DescribeEn(IEnumerable<StandardFailure> failures) =>
        string.Join("; ", failures.Select(f => $"{f.MessageEn} ({f.Value}; required: {f.Limit})"));
}
