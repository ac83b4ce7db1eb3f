namespace CollectionWorker.Inspection.Face;

/// <summary>How a finding weighs: reject = automatic rejection, review = flag for the studio.</summary>
public enum FaceFindingSeverity
{
    Info,
    Review,
    Reject,
}

/// <summary>One face-stage finding, in the shape check-photo prints (docs/inspection.md).</summary>
public sealed record FaceFinding(
    string Code,
    FaceFindingSeverity Severity,
    string Value,
    string Limit,
    string MessageZh,
    string MessageEn);
