using System.Globalization;
using System.Text;
using Spectre.Console;

namespace CollectionWorker.Host;

/// <summary>
/// A table of a verb's results. On a terminal it is drawn by Spectre.Console to the terminal's width, long
/// cells wrapping inside their column; written to a file or a pipe it keeps the plain layout scripts read
/// (columns padded to their widest cell and two spaces apart, a dashed line under the headers, nothing wrapped).
/// Chinese characters count as two columns wide in both.
/// </summary>
public sealed class TextTable(params string[] headers)
{
    /// <summary>Columns no wider than this never wrap on the terminal (codes, numbers, dates): the long text wraps instead.</summary>
    private const int ShortColumn = 16;

    private readonly List<string[]> _rows = [headers];

    public void Add(params object[] cells) =>
        _rows.Add(cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture) ?? "").ToArray());

    /// <summary>
    /// Writes the table to <paramref name="writer"/>: drawn to fit when it is the terminal, plain otherwise, and
    /// plain too on a terminal too narrow to fit it without breaking words (the terminal then wraps whole lines).
    /// </summary>
    public Task WriteAsync(TextWriter writer)
    {
        var output = new AnsiConsoleOutput(writer);
        if (!output.IsTerminal) return writer.WriteAsync(ToString());
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = output });
        if (!Fits(console.Profile.Width)) return writer.WriteAsync(ToString());
        Draw(console);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Whether the table fits <paramref name="width"/> columns with every word whole: each column at least as wide
    /// as its longest word (a Chinese character may break anywhere), plus the padding and separators.
    /// </summary>
    public bool Fits(int width) =>
        headers.Select((h, i) => _rows.Skip(1).Select(r => i < r.Length ? LongestWord(r[i]) : 0).Append(LongestWord(TwoLineHeader(h))).Max())
            .Sum() + 3 * headers.Length <= width;

    private static int LongestWord(string text)
    {
        int longest = 0, run = 0;
        foreach (var ch in text)
        {
            if (ch is ' ' or '\n') run = 0;
            else if (Width(ch.ToString()) == 2)
            {
                run = 0;
                longest = Math.Max(longest, 2);
            }
            else longest = Math.Max(longest, ++run);
        }
        return longest;
    }

    /// <summary>
    /// Draws the table on <paramref name="console"/> within its width. Headers put their Chinese above their
    /// English; short columns (codes, numbers, dates) never wrap; when the table is still too wide, the widest
    /// column (the message) keeps the room and the other long columns wrap at a fifth of the width.
    /// </summary>
    public void Draw(IAnsiConsole console)
    {
        var table = new Table { Border = TableBorder.Minimal };
        var titles = headers.Select(TwoLineHeader).ToArray();
        var natural = titles.Select((t, i) => _rows.Skip(1).Select(r => i < r.Length ? Width(r[i]) : 0)
            .Concat(t.Split('\n').Select(Width)).Max()).ToArray();
        var wrapping = natural.Select(w => w > ShortColumn).ToArray();
        // Two columns of padding per column and one separator between columns.
        var tooWide = natural.Sum() + 3 * natural.Length > console.Profile.Width;
        var message = Array.IndexOf(natural, natural.Where((_, i) => wrapping[i]).DefaultIfEmpty(-1).Max());
        for (var i = 0; i < titles.Length; i++)
        {
            var column = new TableColumn(new Text(titles[i], new Style(decoration: Decoration.Bold))) { NoWrap = !wrapping[i] };
            if (tooWide && wrapping[i] && i != message) column.Width = Math.Min(natural[i], Math.Max(ShortColumn, console.Profile.Width / 5));
            table.AddColumn(column);
        }
        foreach (var row in _rows.Skip(1))
            table.AddRow(row.Select(cell => new Text(cell)).ToArray());
        console.Write(table);
    }

    /// <summary>"代码 Code" → "代码" over "Code": a bilingual header takes the width of its longer half.</summary>
    private static string TwoLineHeader(string header)
    {
        var space = header.IndexOf(' ');
        return space > 0 && Width(header[..space]) > space ? header[..space] + "\n" + header[(space + 1)..] : header;
    }

    /// <summary>The plain layout, for output that is not a terminal.</summary>
    public override string ToString()
    {
        var widths = new int[headers.Length];
        foreach (var row in _rows)
            for (var i = 0; i < row.Length; i++) widths[i] = Math.Max(widths[i], Width(row[i]));
        var sb = new StringBuilder();
        for (var r = 0; r < _rows.Count; r++)
        {
            var row = _rows[r];
            for (var i = 0; i < row.Length; i++)
            {
                sb.Append(row[i]).Append(' ', widths[i] - Width(row[i]));
                if (i < row.Length - 1) sb.Append("  ");
            }
            sb.AppendLine();
            if (r == 0) sb.AppendLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        }
        return sb.ToString();
    }

    /// <summary>Display columns of <paramref name="s"/> on a terminal: East Asian wide characters take two.</summary>
    public static int Width(string s) => s.Sum(ch => ch >= 0x1100 && (ch <= 0x115F || (ch >= 0x2E80 && ch <= 0xA4CF) || (ch >= 0xAC00 && ch <= 0xD7A3) || (ch >= 0xF900 && ch <= 0xFAFF) || (ch >= 0xFF00 && ch <= 0xFF60) || (ch >= 0xFFE0 && ch <= 0xFFE6)) ? 2 : 1);
}
