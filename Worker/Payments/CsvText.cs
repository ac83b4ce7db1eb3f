using System.Text;

namespace CollectionWorker.Payments;

/// <summary>
/// A CSV export as rows of text. The encoding is detected, never assumed: a BOM says UTF-8 or UTF-16;
/// bytes that are valid UTF-8 are UTF-8; anything else is read as GB18030, which is what Chinese Excel
/// writes when it saves "CSV (逗号分隔)". The separator is the one the header line uses most: comma,
/// tab (Excel's "Unicode text") or semicolon. Quoted fields may hold separators, quotes and line breaks.
/// </summary>
public static class CsvText
{
    public const string Utf8 = "UTF-8", Utf8Bom = "UTF-8 (BOM)", Utf16 = "UTF-16", Gb18030 = "GB18030";

    /// <summary>The file's text and the name of its encoding.</summary>
    public static (string Text, string Encoding) Decode(byte[] bytes)
    {
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            return (new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3), Utf8Bom);
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            return (Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2), Utf16);
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            return (Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2), Utf16);
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes), Utf8);
        }
        catch (DecoderFallbackException)
        {
            // Not UTF-8: Chinese Windows' code page. The provider is asked directly, so nothing global is registered.
            var gb = CodePagesEncodingProvider.Instance.GetEncoding(54936)!;
            return (gb.GetString(bytes), Gb18030);
        }
    }

    /// <summary>Every record, numbered from 1 as a text editor counts records (a quoted line break stays in its record).</summary>
    public static List<(int Row, string[] Cells)> Parse(string text)
    {
        var separator = Separator(text);
        var rows = new List<(int, string[])>();
        var cells = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var quotedBefore = false; // this field has had its quoted part
        var record = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
                continue;
            }
            if (ch == '"' && field.ToString().Trim() is "" or "=" && !quotedBefore)
            {
                var formula = field.ToString().Trim() == "=";
                field.Clear();
                if (formula) field.Append('=');
                quoted = quotedBefore = true;
                continue;
            }
            if (ch == separator) { cells.Add(Clean(field)); field.Clear(); quotedBefore = false; continue; }
            if (ch is '\r' or '\n')
            {
                if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                cells.Add(Clean(field));
                field.Clear();
                quotedBefore = false;
                rows.Add((record++, cells.ToArray()));
                cells.Clear();
                continue;
            }
            field.Append(ch);
        }
        if (field.Length > 0 || cells.Count > 0)
        {
            cells.Add(Clean(field));
            rows.Add((record, cells.ToArray()));
        }
        return rows;
    }

    /// <summary>
    /// A field as a person reads it: trimmed, without the ="…" or leading apostrophe or tab that exports
    /// put before long numbers so Excel keeps them as text.
    /// </summary>
    private static string Clean(StringBuilder field)
    {
        var s = field.ToString().Trim();
        if (s.StartsWith('=')) s = s[1..].Trim();
        if (s.StartsWith('\'')) s = s[1..];
        return s.Trim();
    }

    private static char Separator(string text)
    {
        // The header may sit below title lines: judge by the first dozen lines together.
        var head = text[..Math.Min(text.Length, 4096)];
        int Count(char c) => head.Count(x => x == c);
        var (comma, tab, semicolon) = (Count(','), Count('\t'), Count(';'));
        return tab > comma && tab >= semicolon ? '\t' : semicolon > comma ? ';' : ',';
    }
}
