namespace CollectionWorker.Review;

/// <summary>Reads the Reasons cell: one reason from the dropdown, or several typed with separators.</summary>
public static class ReasonText
{
    /// <summary>What may separate several reasons in one cell (the dropdown gives one; people type more).</summary>
    public static readonly char[] Separators = [';', '；', ',', '，', '、', '\n', '\r'];

    /// <summary>The reasons the cell names, in order, and every fragment that names none.</summary>
    public static (List<ReviewReason> Known, List<string> Unknown) Parse(string? cell, IReadOnlyList<ReviewReason> reasons)
    {
        var known = new List<ReviewReason>();
        var unknown = new List<string>();
        foreach (var fragment in (cell ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var wanted = Normalise(fragment);
            var match = reasons.FirstOrDefault(r => wanted == Normalise(r.Label) || wanted == Normalise(r.Zh) || wanted == Normalise(r.En));
            if (match is null) unknown.Add(fragment);
            else if (!known.Contains(match)) known.Add(match);
        }
        return (known, unknown);
    }

    private static string Normalise(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
}
