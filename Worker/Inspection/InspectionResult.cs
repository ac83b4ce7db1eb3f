namespace CollectionWorker.Inspection;

/// <summary>The inspection of one file: its findings, the verdict they give, and the evidence image.</summary>
public sealed class InspectionResult
{
    public InspectionResult(string fileName, IReadOnlyList<Finding> findings, byte[]? annotatedPng)
    {
        FileName = fileName;
        Findings = findings;
        AnnotatedPng = annotatedPng;
        Verdict = findings.Any(f => f.Severity == Severity.Reject) ? Verdict.Reject
            : findings.Any(f => f.Severity == Severity.Review) ? Verdict.Review
            : Verdict.Accept;
    }

    public string FileName { get; }
    public Verdict Verdict { get; }
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>The photo with sampled regions, guide bands and measured values drawn on it (PNG); null when the file could not be decoded.</summary>
    public byte[]? AnnotatedPng { get; }

    public IEnumerable<Finding> Reasons => Findings.Where(f => f.Severity == Severity.Reject);
}
