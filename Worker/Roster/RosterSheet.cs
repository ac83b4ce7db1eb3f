namespace CollectionWorker.Roster;

/// <summary>A roster workbook read as text: the header, and each data row's cells as written.</summary>
public sealed class RosterSheet
{
    public string SheetName { get; init; } = "";
    public int HeaderRow { get; init; }
    /// <summary>Every header cell of the header row, in sheet order (including ignored columns).</summary>
    public List<string> Headers { get; } = [];
    /// <summary>Which sheet column (1-based) holds each recognised field.</summary>
    public Dictionary<RosterField, int> FieldColumns { get; } = [];
    public List<RosterRow> Rows { get; } = [];
    public List<RosterProblem> Problems { get; } = [];

    public string ColumnLabel(RosterField field) =>
        FieldColumns.TryGetValue(field, out var c) ? $"{ColumnLetter(c)} ({RosterColumns.Of(field).Header})" : RosterColumns.Of(field).Header;

    public static string ColumnLetter(int column)
    {
        var s = "";
        for (var n = column; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }
}

/// <summary>One data row: the text of every cell (for the error workbook) and of each field.</summary>
public sealed class RosterRow(int rowNumber, string[] cells)
{
    // One slot per field (by its number), "" where the roster has no such column: no dictionary per row.
    private readonly string[] _fields = NewFields();

    public int RowNumber { get; } = rowNumber;
    public string[] Cells { get; } = cells;

    public string this[RosterField field]
    {
        get => _fields[(int)field];
        set => _fields[(int)field] = value;
    }

    private static string[] NewFields()
    {
        var fields = new string[RosterColumns.All.Count];
        Array.Fill(fields, "");
        return fields;
    }
}
