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
        Add(code, value, limit, definition.MessageZh, definition.MessageEn);
    }

    /// <summary>With a message written for this photo (e.g. "too high" rather than "outside the band"); the policy still decides the severity.</summary>
    /// <param name="atMostReview">the measurement is too close to its limit to reject on: a person should look.</param>
    public void Add(string code, string value, string limit, string messageZh, string messageEn, bool atMostReview = false)
    {
        var severity = catalog.SeverityOf(code);
        if (severity is null) return; // policy "off"
        if (atMostReview && severity == Severity.Reject) severity = Severity.Review;
        _findings.Add(new Finding(code, severity.Value, value, limit, messageZh, messageEn));
    }
}
