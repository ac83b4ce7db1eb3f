namespace CollectionWorker.Inspection;

/// <summary>
/// Every finding code the inspection knows, with its default severity and messages, and the
/// configured policy on top (<c>Inspection:Severity:CODE</c>). Built from the file stage's codes
/// and each registered check's, so a new check brings its own codes.
/// </summary>
public sealed class FindingCatalog
{
    private readonly Dictionary<string, FindingDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Severity?> _policy = new(StringComparer.Ordinal);

    public FindingCatalog(IEnumerable<FindingDefinition> definitions, IReadOnlyDictionary<string, string>? policy = null)
    {
        foreach (var d in definitions) _definitions[d.Code] = d;
        foreach (var d in _definitions.Values) _policy[d.Code] = d.DefaultSeverity;
        if (policy is null) return;
        foreach (var (code, text) in policy)
            if (_definitions.ContainsKey(code.ToUpperInvariant()) && SeverityNames.TryParse(text, out var s))
                _policy[code.ToUpperInvariant()] = s;
    }

    public IEnumerable<FindingDefinition> Definitions => _definitions.Values;

    public bool Knows(string code) => _definitions.ContainsKey(code);

    public FindingDefinition Get(string code) =>
        _definitions.TryGetValue(code, out var d) ? d : throw new ArgumentException($"finding code '{code}' has no definition", nameof(code));

    /// <summary>The configured severity, or null when the policy turns the code off.</summary>
    public Severity? SeverityOf(string code) => _policy.TryGetValue(code, out var s) ? s : Get(code).DefaultSeverity;
}
