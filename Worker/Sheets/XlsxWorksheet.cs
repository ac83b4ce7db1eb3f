using System.Globalization;

namespace CollectionWorker.Sheets;

public enum SheetVisibility { Visible, Hidden, VeryHidden }

/// <summary>What a protected sheet still lets anyone do (selecting cells is always allowed).</summary>
[Flags]
public enum SheetAllow { None = 0, AutoFilter = 1, FormatColumns = 2, FormatRows = 4, Sort = 8 }

public enum ValidationAlert { Stop, Warning, Information }

/// <summary>A dropdown: a list given inline ("\"a,b\"") or as a range ("'_lists'!$A$1:$A$16") over a block of cells.</summary>
public sealed record ListValidation(int FirstRow, int FirstColumn, int LastRow, int LastColumn, string Formula, ValidationAlert Alert,
    string? ErrorTitle, string? ErrorMessage);

/// <summary>A block of cells: 1-based, inclusive.</summary>
public readonly record struct CellBlock(int FirstRow, int FirstColumn, int LastRow, int LastColumn)
{
    public string Reference => XlsxWorksheet.Address(FirstRow, FirstColumn) + ":" + XlsxWorksheet.Address(LastRow, LastColumn);
}

/// <summary>
/// One worksheet being written, held in memory until <see cref="XlsxWorkbook.Save(Stream)"/>: cell
/// values (text or numbers) with their <see cref="CellStyle"/>, column widths, row heights, merged
/// blocks, the frozen header, the filter, dropdowns, protection, print setup and pictures. Rows and
/// columns count from 1, as in Excel. Nothing here measures fonts or images: widths are given (or
/// computed from the text by <see cref="SheetWriting"/>), picture sizes come from the JPEG's header.
/// </summary>
public sealed class XlsxWorksheet
{
    /// <summary>Excel's width of a column nobody sized, in characters, and the default row height in points.</summary>
    public const double DefaultColumnWidth = 8.43, DefaultRowHeight = 15;

    internal sealed class CellData
    {
        public object? Value; // string, double or null
        public CellStyle Style = CellStyle.Default;
    }

    internal sealed class RowData
    {
        public CellData?[] Cells = [];
        public double? Height;
        public bool Hidden;
    }

    private readonly XlsxWorkbook book;
    internal readonly List<RowData?> Rows = [null];
    internal readonly SortedDictionary<int, (double? Width, bool Hidden)> Columns = [];
    internal readonly List<CellBlock> Merges = [];
    internal readonly List<ListValidation> Validations = [];
    internal readonly List<SheetPicture> Pictures = [];

    internal XlsxWorksheet(XlsxWorkbook book, string name)
    {
        this.book = book;
        Name = name;
    }

    public string Name { get; }
    public SheetVisibility Visibility { get; set; }
    /// <summary>Rows 1 to this stay in view when scrolling; 0 = nothing frozen.</summary>
    public int FrozenRows { get; private set; }
    public CellBlock? Filter { get; private set; }
    public bool IsProtected { get; private set; }
    public SheetAllow Allowed { get; private set; }
    /// <summary>Set by <see cref="PrintLandscape"/>: rows 1 to this print on every page; null = no print setup.</summary>
    public int? PrintTitleRows { get; private set; }

    public int LastRow => Rows.Count - 1;
    public int LastColumn { get; private set; }

    /// <summary>
    /// Writes user text as text, never as a formula (a name such as "=HYPERLINK(…)" stays a name, "001234" keeps its
    /// zeros), cut to Excel's cell limit, with a quote prefix where Excel would take it for a formula on editing.
    /// </summary>
    public void Text(int row, int column, string? value)
    {
        value = SheetWriting.Bounded(value) ?? "";
        var cell = At(row, column);
        cell.Value = value;
        if (value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@') cell.Style = cell.Style with { QuotePrefix = true };
    }

    /// <summary>A number, with an Excel number format ("0.0", "0.0%") when given.</summary>
    public void Number(int row, int column, double value, string? format = null)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"{Address(row, column)}: {value} is not a number Excel can store", nameof(value));
        var cell = At(row, column);
        cell.Value = value;
        if (format is not null) cell.Style = cell.Style with { NumberFormat = format };
    }

    /// <summary>A date and time as Excel stores it (a day serial), shown through <paramref name="format"/>.</summary>
    public void Date(int row, int column, DateTime value, string format = "yyyy-mm-dd hh:mm") => Number(row, column, value.ToOADate(), format);

    /// <summary>The text, the number or null.</summary>
    public object? Value(int row, int column) => Find(row, column)?.Value;

    /// <summary>The cell as a person sees it: text as written, a number through its format.</summary>
    public string Display(int row, int column) => Find(row, column) switch
    {
        { Value: string s } => s,
        { Value: double d } cell => book.FormatNumber(d, cell.Style.NumberFormat),
        _ => "",
    };

    public CellStyle StyleAt(int row, int column) => Find(row, column)?.Style ?? CellStyle.Default;

    public void Style(int row, int column, Func<CellStyle, CellStyle> change)
    {
        var cell = At(row, column);
        cell.Style = change(cell.Style);
    }

    /// <summary>Changes the look of every cell in the block (empty cells too: an empty editable cell must be unlocked).</summary>
    public void Style(int firstRow, int firstColumn, int lastRow, int lastColumn, Func<CellStyle, CellStyle> change)
    {
        // Cells that looked alike look alike after: each distinct look is changed once.
        var changed = new Dictionary<CellStyle, CellStyle>();
        for (var r = firstRow; r <= lastRow; r++)
            for (var c = firstColumn; c <= lastColumn; c++)
            {
                var cell = At(r, c);
                if (!changed.TryGetValue(cell.Style, out var after)) changed[cell.Style] = after = change(cell.Style);
                cell.Style = after;
            }
    }

    /// <summary>A line around the block's outside edges (inner cells keep theirs).</summary>
    public void Outline(int firstRow, int firstColumn, int lastRow, int lastColumn, BorderLine line)
    {
        Style(firstRow, firstColumn, firstRow, lastColumn, s => s with { Top = line });
        Style(lastRow, firstColumn, lastRow, lastColumn, s => s with { Bottom = line });
        Style(firstRow, firstColumn, lastRow, firstColumn, s => s with { Left = line });
        Style(firstRow, lastColumn, lastRow, lastColumn, s => s with { Right = line });
    }

    /// <summary>Merges a block into one cell showing the first cell's value; returns the block. The same block again is no change; an overlapping one is refused.</summary>
    public CellBlock Merge(int firstRow, int firstColumn, int lastRow, int lastColumn)
    {
        var block = new CellBlock(firstRow, firstColumn, lastRow, lastColumn);
        if (firstRow > lastRow || firstColumn > lastColumn) throw new ArgumentException($"{block.Reference} is not a block");
        if (Merges.Contains(block)) return block; // merged already (then fitted with SheetWriting.FitMergedRow)
        if (Merges.Any(m => m.FirstRow <= lastRow && firstRow <= m.LastRow && m.FirstColumn <= lastColumn && firstColumn <= m.LastColumn))
            throw new InvalidOperationException($"{Name}!{block.Reference} overlaps a merged block");
        At(firstRow, firstColumn);
        Merges.Add(block);
        return block;
    }

    public double ColumnWidth(int column) => Columns.TryGetValue(column, out var c) && c.Width is { } w ? w : DefaultColumnWidth;

    /// <summary>Width in characters of the default font (Excel's unit).</summary>
    public void SetColumnWidth(int column, double width)
    {
        Columns.TryGetValue(column, out var c);
        Columns[column] = (Math.Clamp(width, 0, 255), c.Hidden);
    }

    public void HideColumn(int column)
    {
        Columns.TryGetValue(column, out var c);
        Columns[column] = (c.Width, true);
    }

    public bool IsColumnHidden(int column) => Columns.TryGetValue(column, out var c) && c.Hidden;

    public double RowHeight(int row) => row < Rows.Count && Rows[row]?.Height is { } h ? h : DefaultRowHeight;

    /// <summary>Height in points.</summary>
    public void SetRowHeight(int row, double height) => RowAt(row).Height = Math.Clamp(height, 0, 409);

    public void HideRow(int row) => RowAt(row).Hidden = true;

    /// <summary>Keeps rows 1 to <paramref name="rows"/> in view when scrolling.</summary>
    public void FreezeRows(int rows) => FrozenRows = rows;

    /// <summary>A filter button on each column of the block's first row.</summary>
    public void AutoFilter(int firstRow, int firstColumn, int lastRow, int lastColumn) =>
        Filter = new CellBlock(firstRow, firstColumn, Math.Max(firstRow, lastRow), lastColumn);

    /// <summary>A dropdown over the block. <paramref name="formula"/>: "\"a,b\"" or a range such as "'_lists'!$A$1:$A$16".</summary>
    public void ListValidation(int firstRow, int firstColumn, int lastRow, int lastColumn, string formula,
        ValidationAlert alert = ValidationAlert.Stop, string? errorTitle = null, string? errorMessage = null) =>
        Validations.Add(new ListValidation(firstRow, firstColumn, lastRow, lastColumn, formula, alert, errorTitle, errorMessage));

    /// <summary>Protects the sheet without a password: locked cells cannot be typed over; <paramref name="allow"/> stays possible.</summary>
    public void Protect(SheetAllow allow = SheetAllow.None)
    {
        IsProtected = true;
        Allowed = allow;
    }

    /// <summary>Prints on A4 landscape, one page wide, rows 1 to <paramref name="titleRows"/> on every page, sheet name and page numbers in the footer.</summary>
    public void PrintLandscape(int titleRows) => PrintTitleRows = titleRows;

    /// <summary>A JPEG shown at its own pixel size, its top-left corner <paramref name="offsetPx"/> into the cell (a one-cell anchor: it follows its row).</summary>
    public void Picture(int row, int column, string name, byte[] jpeg, int widthPx, int heightPx, int offsetPx = 4) =>
        Pictures.Add(new SheetPicture(Name, row, column, name, jpeg, widthPx, heightPx, offsetPx));

    /// <summary>"A1" style address.</summary>
    public static string Address(int row, int column) => ColumnLetters(column) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>"D2" as (2, 4).</summary>
    public static (int Row, int Column) Position(string address)
    {
        var letters = address.TakeWhile(char.IsAsciiLetter).Count();
        if (letters is 0 or > 3 || !int.TryParse(address.AsSpan(letters), NumberStyles.None, CultureInfo.InvariantCulture, out var row) || row < 1)
            throw new ArgumentException($"'{address}' is not a cell address such as D2", nameof(address));
        var column = 0;
        foreach (var ch in address[..letters].ToUpperInvariant()) column = column * 26 + (ch - 'A' + 1);
        return (row, column);
    }

    public static string ColumnLetters(int column)
    {
        if (column is < 1 or > 16_384) throw new ArgumentOutOfRangeException(nameof(column), column, "Excel has columns 1 to 16,384");
        var letters = "";
        for (; column > 0; column = (column - 1) / 26) letters = (char)('A' + (column - 1) % 26) + letters;
        return letters;
    }

    private CellData? Find(int row, int column) =>
        row > 0 && row < Rows.Count && Rows[row] is { } r && column > 0 && column <= r.Cells.Length ? r.Cells[column - 1] : null;

    private CellData At(int row, int column)
    {
        if (column is < 1 or > 16_384) throw new ArgumentOutOfRangeException(nameof(column), column, $"{Name}: Excel has columns 1 to 16,384");
        var r = RowAt(row);
        if (column > r.Cells.Length) Array.Resize(ref r.Cells, Math.Max(column, Math.Min(16_384, r.Cells.Length * 2)));
        LastColumn = Math.Max(LastColumn, column);
        return r.Cells[column - 1] ??= new CellData();
    }

    private RowData RowAt(int row)
    {
        if (row is < 1 or > 1_048_576) throw new ArgumentOutOfRangeException(nameof(row), row, $"{Name}: Excel has rows 1 to 1,048,576");
        while (Rows.Count <= row) Rows.Add(null);
        return Rows[row] ??= new RowData();
    }
}
