namespace CollectionWorker.Inspection;

/// <summary>
/// One check over a decoded photo. Checks are stateless singletons registered in DI; the
/// inspector runs every registered check, lowest <see cref="Order"/> first, over one shared
/// <see cref="PhotoAnalysis"/>. A new check (e.g. the face) is one more registration.
/// </summary>
public interface IPhotoCheck
{
    /// <summary>Run order: background 100s, light 200s, clothing 300s; a face detector that refines the regions runs before 100.</summary>
    int Order { get; }

    /// <summary>The codes this check may report, with default severities and messages.</summary>
    IReadOnlyList<FindingDefinition> Definitions { get; }

    void Run(PhotoAnalysis photo, FindingSink findings);
}

internal static class Format
{
    public static string N(double v, string format = "0.0") => v.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
