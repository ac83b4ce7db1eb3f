using System.Globalization;

namespace CollectionWorker.Tests.Support;

/// <summary>A1 addresses and ranges.</summary>
public static class CellAddress
{
    public static (int Row, int Column) Parse(string address)
    {
        var column = 0;
        var i = 0;
        address = address.Replace("$", "");
        for (; i < address.Length && char.IsLetter(address[i]); i++) column = column * 26 + (char.ToUpperInvariant(address[i]) - 'A' + 1);
        return (int.Parse(address[i..], CultureInfo.InvariantCulture), column);
    }

    public static string Of(int row, int column) => ColumnLetters(column) + row.ToString(CultureInfo.InvariantCulture);

    public static string ColumnLetters(int column)
    {
        var letters = "";
        for (; column > 0; column = (column - 1) / 26) letters = (char)('A' + (column - 1) % 26) + letters;
        return letters;
    }

    /// <summary>Whether a cell is inside a range such as B4:B1000, B4, or a whole column C:C.</summary>
    public static bool InRange(string range, int row, int column)
    {
        var parts = range.Replace("$", "").Split(':');
        if (parts.Length == 2 && parts.All(p => p.All(char.IsLetter)))
        {
            int c1 = Parse(parts[0] + "1").Column, c2 = Parse(parts[1] + "1").Column;
            return column >= c1 && column <= c2;
        }
        var (r1, col1) = Parse(parts[0]);
        var (r2, col2) = parts.Length == 2 ? Parse(parts[1]) : (r1, col1);
        return row >= r1 && row <= r2 && column >= col1 && column <= col2;
    }
}

/// <summary>Finding rows and columns by the text in them, on a read view and on a sheet being edited alike.</summary>
public interface ICellLookup
{
    string Name { get; }
    string Text(int row, int column);
    int LastRow { get; }
    int LastColumn { get; }
}

public static class CellLookup
{
    /// <summary>The column whose cell in <paramref name="headerRow"/> reads <paramref name="header"/>; fails naming the headers there are.</summary>
    public static int ColumnOf(this ICellLookup sheet, int headerRow, string header)
    {
        var found = Enumerable.Range(1, sheet.LastColumn).Where(c => sheet.Text(headerRow, c) == header).ToList();
        return found.Count == 1
            ? found[0]
            : throw new Xunit.Sdk.XunitException($"'{sheet.Name}' row {headerRow}: {found.Count} cells read '{header}'; the row has: " +
                                                 string.Join(" | ", Enumerable.Range(1, sheet.LastColumn).Select(c => sheet.Text(headerRow, c))));
    }

    /// <summary>The one row whose cell in <paramref name="column"/> reads <paramref name="text"/>.</summary>
    public static int RowOf(this ICellLookup sheet, int column, string text)
    {
        var found = Enumerable.Range(1, sheet.LastRow).Where(r => sheet.Text(r, column) == text).ToList();
        return found.Count == 1
            ? found[0]
            : throw new Xunit.Sdk.XunitException($"'{sheet.Name}' column {CellAddress.ColumnLetters(column)}: {found.Count} rows read '{text}'");
    }
}
