using System.Text;
using System.Text.RegularExpressions;

namespace CollectionWorker.Logging;

/// <summary>
/// Makes text safe to write into a log: ID numbers masked (440605********2623) and characters that
/// could rewrite the terminal or forge lines (ANSI escapes, carriage returns, bidi overrides) written
/// as visible <c>\u001B</c>-style escapes. Every log line passes through <see cref="Clean"/>
/// (<see cref="SafeLoggerProvider"/>); a file name logged by intake also goes through
/// <see cref="Name"/>, which escapes line breaks too.
/// </summary>
public static partial class LogText
{
    /// <summary>A log message: ID numbers masked, control characters escaped (line breaks and tabs kept).</summary>
    public static string Clean(string text) => Escape(MaskNationalIds(text), keepLineBreaks: true);

    /// <summary>A name from outside (a file name): ID numbers masked, every control character escaped.</summary>
    public static string Name(string text) => Escape(MaskNationalIds(text), keepLineBreaks: false);

    /// <summary>
    /// A name shown as it is, ID numbers included, but with every control character escaped: for
    /// files only the admin reads on the server (a reason file), where <c>cat</c> must not run escapes.
    /// </summary>
    public static string Visible(string text) => Escape(text, keepLineBreaks: false);

    /// <summary>
    /// Every 18-character resident ID number (17 digits and a digit or X) standing on its own, i.e.
    /// not inside a longer run of letters or digits such as a hash, shown as its first 6 and last 4
    /// characters. The check digit is not verified: a mistyped number is personal data too.
    /// </summary>
    public static string MaskNationalIds(string text) =>
        text.Length < 18 ? text : NationalIdPattern().Replace(text, m => string.Concat(m.ValueSpan[..6], "********", m.ValueSpan[14..]));

    [GeneratedRegex(@"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex NationalIdPattern();

    private static string Escape(string text, bool keepLineBreaks)
    {
        var i = 0;
        while (i < text.Length && !NeedsEscape(text[i], keepLineBreaks)) i++;
        if (i == text.Length) return text;
        var sb = new StringBuilder(text.Length + 16).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var ch = text[i];
            if (NeedsEscape(ch, keepLineBreaks)) sb.Append("\\u").Append(((int)ch).ToString("X4"));
            else sb.Append(ch);
        }
        return sb.ToString();
    }

    private static bool NeedsEscape(char ch, bool keepLineBreaks) =>
        ch switch
        {
            '\n' or '\t' => !keepLineBreaks,
            < ' ' or '\u007F' => true,
            >= '\u0080' and <= '\u009F' => true,
            // Bidirectional overrides and isolates make a name read differently from what it is.
            >= '\u202A' and <= '\u202E' => true,
            >= '\u2066' and <= '\u2069' => true,
            _ => false,
        };
}
