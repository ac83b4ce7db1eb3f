namespace CollectionWorker.Inspection;

public enum Severity
{
    Info,
    Review,
    Reject,
}

public enum Verdict
{
    Accept,
    Review,
    Reject,
}

/// <summary>One result of one check: stable code, what was measured, the configured limit, and what to fix.</summary>
public sealed record Finding(string Code, Severity Severity, string Value, string Limit, string MessageZh, string MessageEn);

/// <summary>A code a check can emit, its default severity and its messages (the student reads these).</summary>
public sealed record FindingDefinition(string Code, Severity DefaultSeverity, string MessageZh, string MessageEn);

public static class SeverityNames
{
    public static string ToWire(this Severity s) => s switch
    {
        Severity.Reject => "reject",
        Severity.Review => "review",
        _ => "info",
    };

    public static string ToWire(this Verdict v) => v switch
    {
        Verdict.Reject => "reject",
        Verdict.Review => "review",
        _ => "accept",
    };

    /// <summary>Parses a policy value; <c>off</c> gives null (the code is not reported).</summary>
    public static bool TryParse(string? text, out Severity? severity)
    {
        severity = null;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "reject": severity = Severity.Reject; return true;
            case "review": severity = Severity.Review; return true;
            case "info": severity = Severity.Info; return true;
            case "off": return true;
            default: return false;
        }
    }
}
