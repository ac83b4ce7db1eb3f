using System.Text;
using System.Text.RegularExpressions;

namespace CollectionWorker.Intake;

/// <summary>
/// One configured file-name pattern such as <c>{学号}_{姓名}.jpg</c>, compiled to a regular expression
/// over the normalised file stem (the name without its extension; the extension is checked apart,
/// case-insensitively, against every accepted extension).
/// </summary>
public sealed class FileNamePattern
{
    private FileNamePattern(string text, Regex stem, bool number, bool nationalId, bool name)
    {
        Text = text;
        Stem = stem;
        HasNumber = number;
        HasNationalId = nationalId;
        HasName = name;
    }

    public string Text { get; }
    public Regex Stem { get; }
    public bool HasNumber { get; }
    public bool HasNationalId { get; }
    public bool HasName { get; }

    public const string NumberGroup = "num";
    public const string NationalIdGroup = "id";
    public const string NameGroup = "name";

    private static readonly Dictionary<string, string> Placeholders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["学号"] = NumberGroup, ["StudentNumber"] = NumberGroup,
        ["身份证号"] = NationalIdGroup, ["NationalId"] = NationalIdGroup,
        ["姓名"] = NameGroup, ["Name"] = NameGroup,
    };

    public static FileNamePattern Parse(string text) =>
        TryParse(text, out var p, out var problem) ? p! : throw new FormatException($"'{text}': {problem}");

    public static bool TryParse(string text, out FileNamePattern? pattern, out string problem)
    {
        pattern = null;
        problem = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "it is empty";
            return false;
        }
        var normalised = FileNameText.Normalise(text);
        if (normalised.IndexOfAny(['/', '\\']) >= 0)
        {
            problem = "it names a folder; patterns match file names only";
            return false;
        }
        var dot = normalised.LastIndexOf('.');
        if (dot < 0 || dot < normalised.LastIndexOf('}') || dot == normalised.Length - 1)
        {
            problem = "it does not end in an extension such as .jpg";
            return false;
        }
        var stem = normalised[..dot];

        var regex = new StringBuilder("^");
        var used = new HashSet<string>();
        var i = 0;
        while (i < stem.Length)
        {
            var open = stem.IndexOf('{', i);
            if (open < 0)
            {
                regex.Append(Regex.Escape(stem[i..]));
                break;
            }
            regex.Append(Regex.Escape(stem[i..open]));
            var close = stem.IndexOf('}', open);
            if (close < 0)
            {
                problem = "a '{' is not closed";
                return false;
            }
            var key = stem[(open + 1)..close];
            if (!Placeholders.TryGetValue(key, out var group))
            {
                problem = $"unknown placeholder {{{key}}}";
                return false;
            }
            if (!used.Add(group))
            {
                problem = $"placeholder {{{key}}} appears twice";
                return false;
            }
            if (open > 0 && stem[open - 1] == '}')
            {
                problem = "two placeholders touch; put a separator such as '_' between them";
                return false;
            }
            regex.Append(group switch
            {
                // Student numbers may carry letters, but a word with no digit is no student number.
                NumberGroup => $"(?<{NumberGroup}>[0-9A-Za-z]*[0-9][0-9A-Za-z]*)",
                NationalIdGroup => $"(?<{NationalIdGroup}>[0-9]{{17}}[0-9Xx])",
                _ => $"(?<{NameGroup}>.+?)",
            });
            i = close + 1;
        }
        regex.Append('$');
        if (used.Count == 0)
        {
            problem = "it has no placeholder, so it cannot tell which student a file belongs to";
            return false;
        }
        pattern = new FileNamePattern(text,
            new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.Compiled),
            used.Contains(NumberGroup), used.Contains(NationalIdGroup), used.Contains(NameGroup));
        return true;
    }

    public override string ToString() => Text;
}

/// <summary>How file names and roster values are compared: NFKC (full-width digits and letters to ASCII), no white space.</summary>
public static class FileNameText
{
    public static string Normalise(string text)
    {
        var n = text.Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(n.Length);
        foreach (var ch in n)
            if (!char.IsWhiteSpace(ch) && ch != '\u200B' && ch != '\uFEFF') sb.Append(ch);
        return sb.ToString();
    }

    /// <summary>The key a student number or ID number is looked up by.</summary>
    public static string Key(string text) => Normalise(text).ToUpperInvariant();
}
