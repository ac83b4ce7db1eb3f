using System.Globalization;
using System.Text;

namespace CollectionWorker.Host;

/// <summary>A plain-text table for the terminal; Chinese characters count as two columns wide.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [headers];

    public void Add(params object[] cells) =>
        _rows.Add(cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture) ?? "").ToArray());

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

    private static int Width(string s) => s.Sum(ch => ch >= 0x1100 && (ch <= 0x115F || (ch >= 0x2E80 && ch <= 0xA4CF) || (ch >= 0xAC00 && ch <= 0xD7A3) || (ch >= 0xF900 && ch <= 0xFAFF) || (ch >= 0xFF00 && ch <= 0xFF60) || (ch >= 0xFFE0 && ch <= 0xFFE6)) ? 2 : 1);
}
