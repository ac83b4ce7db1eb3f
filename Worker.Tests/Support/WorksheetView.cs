using System.Globalization;
using System.Text.RegularExpressions;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Tests.Support;

/// <summary>A worksheet as the file stores it. Rows and columns count from 1.</summary>
public sealed class WorksheetView : ICellLookup
{
    private readonly SortedDictionary<(int Row, int Column), CellView> cells = [];
    private readonly Dictionary<int, (double? Height, int? Style)> rows = [];
    private readonly List<(int Min, int Max, double? Width, bool Hidden, int? Style)> columns = [];
    private readonly StyleTable styles;
    private readonly double defaultRowHeight;
    private readonly double? defaultColumnWidth;

    internal WorksheetView(string name, int position, SheetState visibility, X.Worksheet ws, List<string> shared, StyleTable styles, string? printTitles)
    {
        Name = name;
        Position = position;
        Visibility = visibility;
        this.styles = styles;
        var format = ws.GetFirstChild<X.SheetFormatProperties>();
        defaultRowHeight = format?.DefaultRowHeight?.Value ?? 15;
        defaultColumnWidth = format?.DefaultColumnWidth?.Value;

        foreach (var col in ws.Elements<X.Columns>().SelectMany(c => c.Elements<X.Column>()))
            columns.Add(((int)(col.Min?.Value ?? 1), (int)(col.Max?.Value ?? col.Min?.Value ?? 1), col.Width?.Value, col.Hidden?.Value ?? false,
                col.Style is null ? null : (int)col.Style.Value));

        var rowNumber = 0;
        foreach (var row in ws.GetFirstChild<X.SheetData>()?.Elements<X.Row>() ?? [])
        {
            rowNumber = row.RowIndex is null ? rowNumber + 1 : (int)row.RowIndex.Value;
            rows[rowNumber] = (row.CustomHeight?.Value == true || row.Height is not null ? row.Height?.Value : null,
                row.CustomFormat?.Value == true && row.StyleIndex is not null ? (int)row.StyleIndex.Value : null);
            var columnNumber = 0;
            foreach (var c in row.Elements<X.Cell>())
            {
                columnNumber = c.CellReference?.Value is { } reference ? CellAddress.Parse(reference).Column : columnNumber + 1;
                cells[(rowNumber, columnNumber)] = Read(c, rowNumber, columnNumber, shared);
            }
        }

        if (ws.GetFirstChild<X.SheetProtection>() is { } protection)
            Protection = new ProtectionView(
                protection.Sheet?.Value == true,
                protection.Password?.Value is { Length: > 0 } || protection.HashValue?.Value is { Length: > 0 },
                // In the file each flag says the action is PROTECTED; "autoFilter=0" means filtering is allowed.
                AllowsAutoFilter: protection.AutoFilter?.Value == false,
                AllowsSort: protection.Sort?.Value == false,
                AllowsFormatColumns: protection.FormatColumns?.Value == false,
                SelectLockedCells: protection.SelectLockedCells?.Value != true);
        else Protection = new ProtectionView(false, false, true, true, true, true);

        MergedRanges = ws.Elements<X.MergeCells>().SelectMany(m => m.Elements<X.MergeCell>()).Select(m => m.Reference!.Value!).ToList();

        var validations = new List<ValidationView>();
        foreach (var v in ws.Elements<X.DataValidations>().SelectMany(d => d.Elements<X.DataValidation>()))
            validations.Add(new ValidationView(v.Type?.InnerText ?? "none", v.Formula1?.Text ?? "",
                (v.SequenceOfReferences?.InnerText ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), v.AllowBlank?.Value ?? false));
        // Excel 2010 writes a dropdown whose list is on another sheet as x14:dataValidation in the extension list.
        foreach (var v in ws.Descendants().Where(e => e.LocalName == "dataValidation" && e.NamespaceUri != ws.NamespaceUri))
        {
            var type = v.GetAttributes().FirstOrDefault(a => a.LocalName == "type").Value ?? "none";
            var formula = v.ChildElements.FirstOrDefault(e => e.LocalName == "formula1")?.InnerText ?? "";
            var sqref = v.ChildElements.FirstOrDefault(e => e.LocalName == "sqref")?.InnerText ?? "";
            validations.Add(new ValidationView(type, formula, sqref.Split(' ', StringSplitOptions.RemoveEmptyEntries), false));
        }
        Validations = validations;

        var pane = ws.GetFirstChild<X.SheetViews>()?.Elements<X.SheetView>().FirstOrDefault()?.GetFirstChild<X.Pane>();
        if (pane?.State?.Value is { } state && (state == X.PaneStateValues.Frozen || state == X.PaneStateValues.FrozenSplit))
        {
            FrozenRows = (int)(pane.VerticalSplit?.Value ?? 0);
            FrozenColumns = (int)(pane.HorizontalSplit?.Value ?? 0);
        }
        AutoFilter = ws.GetFirstChild<X.AutoFilter>()?.Reference?.Value;

        var setup = ws.GetFirstChild<X.PageSetup>();
        var fitToPage = ws.GetFirstChild<X.SheetProperties>()?.PageSetupProperties?.FitToPage?.Value ?? false;
        (int, int)? repeat = null;
        if (printTitles is not null && Regex.Match(printTitles, @"!\$?(\d+):\$?(\d+)(?:,|$)") is { Success: true } m)
            repeat = (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Page = new PageView(
            (int)(setup?.PaperSize?.Value ?? 1),
            setup?.Orientation?.Value == X.OrientationValues.Landscape,
            fitToPage,
            (int)(setup?.FitToWidth?.Value ?? 1),
            (int)(setup?.FitToHeight?.Value ?? 1),
            repeat);
    }

    public string Name { get; }
    /// <summary>1 for the first tab.</summary>
    public int Position { get; }
    public SheetState Visibility { get; }
    public ProtectionView Protection { get; }
    public IReadOnlyList<string> MergedRanges { get; }
    public IReadOnlyList<ValidationView> Validations { get; }
    public int FrozenRows { get; }
    public int FrozenColumns { get; }
    /// <summary>The filter's range (A3:M20), null when the sheet has none.</summary>
    public string? AutoFilter { get; }
    public PageView Page { get; }

    /// <summary>The cell at a row and column; a cell the file does not have is Empty, with the style Excel would give it.</summary>
    public CellView Cell(int row, int column) =>
        cells.TryGetValue((row, column), out var cell) ? cell
        : new CellView(this, row, column, CellKind.Empty, "", null, null, DefaultStyle(row, column));

    /// <summary>A cell by its A1 address.</summary>
    public CellView Cell(string address)
    {
        var (row, column) = CellAddress.Parse(address);
        return Cell(row, column);
    }

    public string Text(int row, int column) => Cell(row, column).Text;

    public string Text(string address) => Cell(address).Text;

    /// <summary>Every cell holding a value (or a formula), row by row.</summary>
    public IEnumerable<CellView> CellsWithValues => cells.Values.Where(c => !c.IsEmpty);

    /// <summary>The cells of one row holding a value, left to right.</summary>
    public IEnumerable<CellView> RowCells(int row) => CellsWithValues.Where(c => c.Row == row);

    /// <summary>The cells of one column holding a value, top to bottom.</summary>
    public IEnumerable<CellView> ColumnCells(int column) => CellsWithValues.Where(c => c.Column == column);

    /// <summary>The last row with a value in it (formatting alone does not count); 0 for an empty sheet.</summary>
    public int LastRow => lastRow ??= CellsWithValues.Select(c => c.Row).DefaultIfEmpty(0).Max();

    public int LastColumn => lastColumn ??= CellsWithValues.Select(c => c.Column).DefaultIfEmpty(0).Max();

    private int? lastRow, lastColumn;

    /// <summary>The one cell whose text is exactly <paramref name="text"/>; fails if there is none or more than one.</summary>
    public CellView Find(string text)
    {
        var found = CellsWithValues.Where(c => c.Text == text).ToList();
        if (found.Count != 1)
            throw new Xunit.Sdk.XunitException($"'{Name}': {found.Count} cells hold '{text}'{(found.Count > 1 ? ": " + string.Join(", ", found.Select(f => f.Address)) : "")}");
        return found[0];
    }

    /// <summary>The width of a column in characters as Excel's Column Width box shows it (the file's value less Excel's 5-pixel padding).</summary>
    public ColumnView Column(int column)
    {
        foreach (var c in columns)
            if (column >= c.Min && column <= c.Max)
                return new ColumnView(column, c.Width is { } w ? DisplayWidth(w) : DefaultWidth, c.Width, c.Hidden);
        return new ColumnView(column, DefaultWidth, null, false);
    }

    /// <summary>A row's height in points (the sheet's default, 15, where the row sets none).</summary>
    public double RowHeight(int row) => rows.TryGetValue(row, out var r) && r.Height is { } h ? h : defaultRowHeight;

    /// <summary>The dropdown or other rule that applies to a cell, null when none does.</summary>
    public ValidationView? ValidationAt(int row, int column) => Validations.FirstOrDefault(v => v.Covers(row, column));

    private double DefaultWidth => defaultColumnWidth is { } w ? DisplayWidth(w) : 8.43;

    // Excel stores a width with 5 pixels of padding (ClosedXML adds 0.710625 to what it was told); rounded as Excel shows it.
    private static double DisplayWidth(double stored) => Math.Round(stored - 0.71, 2);

    /// <summary>The style Excel applies to a cell the file does not list: its row's (when the row has one), else its column's, else the default.</summary>
    private CellStyleView DefaultStyle(int row, int column)
    {
        if (rows.TryGetValue(row, out var r) && r.Style is { } rs) return styles.Cell(rs);
        foreach (var c in columns)
            if (column >= c.Min && column <= c.Max && c.Style is { } cs) return styles.Cell(cs);
        return styles.Cell(0);
    }

    private CellView Read(X.Cell c, int row, int column, List<string> shared)
    {
        var style = c.StyleIndex is null ? DefaultStyle(row, column) : styles.Cell((int)c.StyleIndex.Value);
        var formula = c.CellFormula is { } f ? f.Text : null;
        var value = c.CellValue?.Text;
        var type = c.DataType?.Value;
        if (type == X.CellValues.SharedString && int.TryParse(value, CultureInfo.InvariantCulture, out var index) && index < shared.Count)
            return new CellView(this, row, column, CellKind.Text, shared[index], null, formula, style);
        if (type == X.CellValues.InlineString)
            return new CellView(this, row, column, c.InlineString is null ? CellKind.Empty : CellKind.Text,
                c.InlineString is null ? "" : WorkbookView.PlainText(c.InlineString), null, formula, style);
        if (type == X.CellValues.String)
            return new CellView(this, row, column, value is null ? CellKind.Empty : CellKind.Text, WorkbookView.Unescape(value ?? ""), null, formula, style);
        if (type == X.CellValues.Boolean)
            return new CellView(this, row, column, CellKind.Boolean, value == "1" ? "TRUE" : "FALSE", value == "1" ? 1 : 0, formula, style);
        if (type == X.CellValues.Error)
            return new CellView(this, row, column, CellKind.Error, value ?? "", null, formula, style);
        if (type == X.CellValues.Date && DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var iso))
            return new CellView(this, row, column, CellKind.Date, DateText(iso), iso.ToOADate(), formula, style);
        if (value is { Length: > 0 } && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return style.IsDate
                ? new CellView(this, row, column, CellKind.Date, DateText(DateTime.FromOADate(number)), number, formula, style)
                : new CellView(this, row, column, CellKind.Number, NumberText(number, style.NumberFormat), number, formula, style);
        return new CellView(this, row, column, CellKind.Empty, "", null, formula, style);
    }

    private static string DateText(DateTime d) =>
        d.ToString(d.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A number as its format shows it, for the formats workbooks here use (General, 0, 0.0, 0.0%, 000000, #,##0).</summary>
    private static string NumberText(double n, string format)
    {
        if (format is "General" or "@" or "" || !format.All(ch => ch is '0' or '#' or '.' or ',' or '%'))
            return n == Math.Floor(n) && Math.Abs(n) < 1e15 ? n.ToString("0", CultureInfo.InvariantCulture) : n.ToString("G15", CultureInfo.InvariantCulture);
        return n.ToString(format, CultureInfo.InvariantCulture);
    }
}
