using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CollectionWorker.Campaign;

/// <summary>
/// Decides whether a roster row's school, grade and track fall in a configured eligible cohort.
/// Rosters write grades many ways ("2021级", "21级", "2021", "2020秋", "2020年秋季"), so grades are
/// compared as (year, term) and schools by containment after normalisation.
/// </summary>
public sealed partial class CohortMatcher(IReadOnlyList<CohortOptions> cohorts)
{
    public CohortOptions? Match(string school, string grade, string track)
    {
        var g = ParseGrade(grade);
        if (g is null) return null;
        var s = Normalise(school);
        var t = Normalise(track);
        foreach (var c in cohorts)
        {
            var cg = ParseGrade(c.Grade);
            if (cg is null || cg.Value.Year != g.Value.Year) continue;
            if (cg.Value.Term is not null && cg.Value.Term != g.Value.Term) continue;
            var cs = Normalise(c.School);
            if (cs.Length == 0 || !s.Contains(cs, StringComparison.Ordinal)) continue;
            var ct = Normalise(c.Track);
            if (ct.Length > 0 && !t.Contains(ct, StringComparison.Ordinal) && !s.Contains(ct, StringComparison.Ordinal)) continue;
            return c;
        }
        return null;
    }

    /// <summary>Year (four digits) and term ('春' spring, '秋' autumn, or null) of a grade text.</summary>
    public static (int Year, char? Term)? ParseGrade(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var n = Normalise(text);
        var m = YearPattern().Match(n);
        if (!m.Success) return null;
        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (year < 100) year += 2000;
        char? term = null;
        if (n.Contains('春') || n.Contains("spring", StringComparison.Ordinal)) term = '春';
        else if (n.Contains('秋') || n.Contains("autumn", StringComparison.Ordinal) || n.Contains("fall", StringComparison.Ordinal)) term = '秋';
        return (year, term);
    }

    /// <summary>NFKC (full-width digits to ASCII), lower case, no white space.</summary>
    public static string Normalise(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var n = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(n.Length);
        foreach (var ch in n)
            if (!char.IsWhiteSpace(ch)) sb.Append(ch);
        return sb.ToString();
    }

    [GeneratedRegex(@"(?<!\d)(\d{4}|\d{2})(?!\d)")]
    private static partial Regex YearPattern();
}
