namespace CollectionWorker.Inspection;

/// <summary>
/// Where checks report: a check names a code, the measured value and the limit; the policy
/// (configuration) decides the severity and the catalog supplies the messages.
/// </summary>
public sealed class FindingSink(FindingCatalog catalog)
{
    private readonly List<Finding> _findings = [];

    public IReadOnlyList<Finding> Findings => _findings;

    public bool Has(string code) => _findings.Any(f => f.Code == code);

    public void Add(string code, string value, string limit)
    {
        var definition = catalog.Get(code);
        var severity = catalog.SeverityOf(code);
        if (severity is null) return; // policy "off"
        _findings.Add(new Finding(code, severity.Value, value, limit, definition.MessageZh, definition.MessageEn));
    }
}
