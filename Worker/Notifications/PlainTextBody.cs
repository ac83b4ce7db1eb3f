using CollectionWorker.Sheets;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace CollectionWorker.Notifications;

/// <summary>
/// The plain-text part of an e-mail, made from its HTML for mail programs that show text only:
/// paragraphs and line breaks kept, tables as aligned columns (Chinese characters count two columns,
/// as a fixed-width font shows them), or, when a table is too wide for a text window, as one line per
/// row naming each value.
/// </summary>
public static partial class PlainTextBody
{
    /// <summary>A table wider than this (in fixed-width columns) is written as a list.</summary>
    public const int MaxTableWidth = 100;

    public static string FromHtml(string html)
    {
        var text = new StringBuilder();
        var at = 0;
        foreach (Match table in Table().Matches(html))
        {
            text.Append(Flow(html[at..table.Index]));
            text.Append("\n\n").Append(FormatTable(table.Value)).Append("\n\n");
            at = table.Index + table.Length;
        }
        text.Append(Flow(html[at..]));
        return BlankLines().Replace(text.ToString(), "\n\n").Trim() + "\n";
    }

    /// <summary>Running text: block ends and line breaks become new lines, a rule becomes a dashed line, tags go.</summary>
    private static string Flow(string html)
    {
        // Line ends in the HTML source are spaces, as a browser shows them.
        var text = SourceLineEnds().Replace(html, " ");
        text = Rule().Replace(text, "\n\n" + new string('-', 40) + "\n\n");
        text = ListItem().Replace(text, "\n- ");
        text = LineBreaks().Replace(text, "\n");
        text = BlockEnds().Replace(text, "\n\n");
        text = WebUtility.HtmlDecode(Tags().Replace(text, ""));
        return string.Join("\n", text.Split('\n').Select(line => Spaces().Replace(line, " ").Trim()));
    }

    private static string FormatTable(string table)
    {
        var rows = Row().Matches(table)
            .Select(r => Cell().Matches(r.Value).Select(c => CellText(c.Groups[1].Value)).ToList())
            .Where(r => r.Count > 0).ToList();
        if (rows.Count == 0) return "";
        var columns = rows.Max(r => r.Count);
        foreach (var r in rows) while (r.Count < columns) r.Add("");
        var hasHeader = Regex.IsMatch(Row().Match(table).Value, "<th[\\s>]", RegexOptions.IgnoreCase);
        var body = hasHeader ? rows.Skip(1).ToList() : rows;
        // The header as one line, or — when that is too wide — bilingual headers on two lines ("已通过" over "Approved").
        foreach (var header in hasHeader ? new[] { new[] { rows[0] }, SplitHeader(rows[0]) } : [Array.Empty<List<string>>()])
        {
            var all = header.Concat(body).ToList();
            var widths = Enumerable.Range(0, columns).Select(c => all.Max(r => TextWidth.Of(r[c]))).ToArray();
            var total = widths.Sum() + 2 * (columns - 1);
            if (total > MaxTableWidth) continue;
            var text = new StringBuilder();
            foreach (var line in header) text.AppendJoin("  ", line.Select((cell, c) => c == columns - 1 ? cell : Pad(cell, widths[c]))).Append('\n');
            if (hasHeader) text.Append(new string('-', total)).Append('\n');
            foreach (var line in body) text.AppendJoin("  ", line.Select((cell, c) => c == columns - 1 ? cell : Pad(cell, widths[c]))).Append('\n');
            return string.Join("\n", text.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd()));
        }
        return AsList(rows, hasHeader, columns);
    }

    /// <summary>"已通过 Approved" → "已通过" on the first header line, "Approved" on the second.</summary>
    private static List<string>[] SplitHeader(List<string> header)
    {
        var parts = header.Select(h => h.IndexOf(' ') is var i and > 0 ? (h[..i], h[(i + 1)..]) : (h, "")).ToList();
        return [parts.Select(p => p.Item1).ToList(), parts.Select(p => p.Item2).ToList()];
    }

    private static string AsList(List<List<string>> rows, bool hasHeader, int columns)
    {
        var text = new StringBuilder();
        // Too wide for a text window: one line per row, each value named by its header.
        var header = hasHeader ? rows[0] : Enumerable.Range(1, columns).Select(c => $"#{c}").ToList();
        foreach (var row in rows.Skip(hasHeader ? 1 : 0))
            text.Append("- ").AppendJoin("; ", row.Select((cell, c) => (cell, c)).Where(x => x.cell.Length > 0)
                .Select(x => x.c == 0 ? x.cell : $"{header[x.c]}: {x.cell}")).Append('\n');
        return text.ToString().TrimEnd();
    }

    private static string CellText(string html) =>
        Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(LineBreaks().Replace(SourceLineEnds().Replace(html, " "), " "), "")), " ").Trim();

    private static string Pad(string text, int width) => text + new string(' ', Math.Max(0, width - TextWidth.Of(text)));

    [GeneratedRegex(@"<table\b.*?</table\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Table();

    [GeneratedRegex(@"<tr\b.*?</tr\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex(@"<t[hd]\b[^>]*>(.*?)</t[hd]\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Cell();

    [GeneratedRegex(@"<hr\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Rule();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"<br\s*/?>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"\r?\n")]
    private static partial Regex SourceLineEnds();

    [GeneratedRegex(@"</(p|div|h\d|ul|ol|li)\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockEnds();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"[ \t\u00A0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n[ \t]*(\n[ \t]*){2,}")]
    private static partial Regex BlankLines();
}
