using System.Globalization;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Tests.Support;

/// <summary>A sheet's state in the workbook (its tab shown, hidden, or very hidden: unhidable only in the VBA editor).</summary>
public enum SheetState { Visible, Hidden, VeryHidden }

/// <summary>What a cell holds as the file stores it; Empty for a cell the file does not have or that has no value.</summary>
public enum CellKind { Empty, Text, Number, Date, Boolean, Error }

/// <summary>
/// A workbook as it is in the FILE, read with the Open XML SDK (no System.Drawing, no ClosedXML): the
/// sheets in their order with their visibility, every cell's value and style, the column widths, row
/// heights, protection, dropdowns, merged ranges, frozen panes and print setup, and the custom
/// properties. Everything is read up front and the package is closed, so a view outlives its file.
/// Pictures are in <see cref="Workbooks.Pictures"/>.
/// </summary>
public sealed class WorkbookView
{
    private readonly Dictionary<string, string> customProperties;

    private WorkbookView(List<WorksheetView> sheets, Dictionary<string, string> customProperties)
    {
        Sheets = sheets;
        this.customProperties = customProperties;
    }

    /// <summary>Every sheet, in the workbook's order, hidden ones included.</summary>
    public IReadOnlyList<WorksheetView> Sheets { get; }

    public IEnumerable<string> SheetNames => Sheets.Select(s => s.Name);

    public static WorkbookView Open(string file) => Open(File.ReadAllBytes(file));

    public static WorkbookView Open(byte[] workbook)
    {
        using var stream = new MemoryStream(workbook, writable: false);
        using var document = SpreadsheetDocument.Open(stream, false);
        var part = document.WorkbookPart ?? throw new InvalidDataException("the package has no workbook part");
        var styles = new StyleTable(part.WorkbookStylesPart?.Stylesheet);
        var shared = part.SharedStringTablePart?.SharedStringTable?.Elements<X.SharedStringItem>().Select(PlainText).ToList() ?? [];
        var sheets = new List<WorksheetView>();
        var entries = part.Workbook.Sheets?.Elements<X.Sheet>().ToList() ?? [];
        var definedNames = part.Workbook.DefinedNames?.Elements<X.DefinedName>().ToList() ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var visibility = entry.State?.Value == X.SheetStateValues.VeryHidden ? SheetState.VeryHidden
                : entry.State?.Value == X.SheetStateValues.Hidden ? SheetState.Hidden : SheetState.Visible;
            var worksheetPart = (WorksheetPart)part.GetPartById(entry.Id!.Value!);
            var printTitles = definedNames.FirstOrDefault(d => d.Name?.Value == "_xlnm.Print_Titles" && d.LocalSheetId?.Value == (uint)i)?.Text;
            sheets.Add(new WorksheetView(entry.Name!.Value!, i + 1, visibility, worksheetPart.Worksheet, shared, styles, printTitles));
        }
        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.CustomFilePropertiesPart?.Properties is { } properties)
            foreach (var p in properties.Elements<DocumentFormat.OpenXml.CustomProperties.CustomDocumentProperty>())
                if (p.Name?.Value is { } name) custom[name] = p.InnerText;
        return new WorkbookView(sheets, custom);
    }

    /// <summary>The sheet named <paramref name="name"/>; a missing one fails naming the sheets there are.</summary>
    public WorksheetView Sheet(string name) =>
        Sheets.FirstOrDefault(s => s.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no sheet '{name}'; the workbook has: {string.Join(", ", SheetNames.Select(n => $"'{n}'"))}");

    /// <summary>The sheet at <paramref name="position"/>, counting from 1 as Excel's tabs do (hidden sheets count).</summary>
    public WorksheetView Sheet(int position) => Sheets[position - 1];

    public bool HasSheet(string name) => Sheets.Any(s => s.Name == name);

    /// <summary>A custom document property (File › Properties › Custom) as text; null when absent.</summary>
    public string? CustomProperty(string name) => customProperties.GetValueOrDefault(name);

    /// <summary>Every cell holding a value, sheet after sheet.</summary>
    public IEnumerable<CellView> CellsWithValues => Sheets.SelectMany(s => s.CellsWithValues);

    /// <summary>A shared string or inline string without its phonetic guide (rPh), as Excel shows it.</summary>
    internal static string PlainText(OpenXmlElement item)
    {
        if (item.GetFirstChild<X.Text>() is { } t) return Unescape(t.Text);
        return Unescape(string.Concat(item.Elements<X.Run>().Select(r => r.Text?.Text ?? "")));
    }

    /// <summary>
    /// Text as Excel shows it: a character XML cannot carry (or half of a surrogate pair) is stored as
    /// _xHHHH_ (ECMA-376 ST_Xstring), and a literal "_x" as _x005F_x.
    /// </summary>
    internal static string Unescape(string stored) =>
        stored.Contains("_x", StringComparison.Ordinal)
            ? Regex.Replace(stored, "_x([0-9A-Fa-f]{4})_", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString())
            : stored;
}

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

/// <summary>One cell: its text as a person sees it (numbers through their format, dates as yyyy-MM-dd), the number behind it, its formula and style.</summary>
public sealed class CellView(WorksheetView sheet, int row, int column, CellKind kind, string text, double? number, string? formula, CellStyleView style)
{
    public WorksheetView Sheet { get; } = sheet;
    public int Row { get; } = row;
    public int Column { get; } = column;
    public string Address => CellAddress.Of(Row, Column);
    public CellKind Kind { get; } = kind;
    /// <summary>The value as shown; a formula's stored result; "" when empty.</summary>
    public string Text { get; } = text;
    /// <summary>The number stored (a date as its serial); null for text.</summary>
    public double? Number { get; } = number;
    /// <summary>The formula without its '=', null when the cell has none.</summary>
    public string? Formula { get; } = formula;
    public bool HasFormula => Formula is not null;
    public bool IsEmpty => Kind == CellKind.Empty && Formula is null;
    public CellStyleView Style { get; } = style;

    /// <summary>The stored number as a whole number; fails naming the cell when it is not one.</summary>
    public int Int => Number is { } n && n == Math.Floor(n)
        ? (int)n
        : throw new Xunit.Sdk.XunitException($"{Sheet.Name}!{Address} holds '{Text}' ({Kind}), not a whole number");

    public override string ToString() => $"{Sheet.Name}!{Address} = '{Text}'";
}

/// <summary>What the cell's format (its cellXfs entry) says.</summary>
public sealed record CellStyleView(bool Bold, string? FontColor, string? FillColor, bool Wrap, string? Horizontal, bool Locked, bool Hidden,
    bool QuotePrefix, int NumberFormatId, string NumberFormat)
{
    public bool IsDate => NumberFormatId is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58
                          || (NumberFormatId >= 164 && Regex.IsMatch(Regex.Replace(NumberFormat, "\"[^\"]*\"|\\[[^\\]]*\\]", ""), "[ymdhs]", RegexOptions.IgnoreCase));
}

public sealed record ColumnView(int Number, double Width, double? StoredWidth, bool Hidden);

/// <summary>Sheet protection as stored: on or off, with or without a password, and which actions stay allowed.</summary>
public sealed record ProtectionView(bool IsProtected, bool HasPassword, bool AllowsAutoFilter, bool AllowsSort, bool AllowsFormatColumns, bool SelectLockedCells);

/// <summary>A data validation: its type (list, whole, …), its first formula (a quoted list or a range) and the ranges it covers.</summary>
public sealed record ValidationView(string Type, string Formula, IReadOnlyList<string> Ranges, bool AllowBlank)
{
    public bool Covers(int row, int column) => Ranges.Any(r => CellAddress.InRange(r, row, column));

    /// <summary>The items of a literal list ("通过,不通过"), empty for a list taken from a range.</summary>
    public IReadOnlyList<string> ListItems => Formula.StartsWith('"') ? Formula.Trim('"').Split(',') : [];
}

/// <summary>Print setup: paper size code (9 = A4), orientation, fit-to-page and the rows repeated at the top of each page.</summary>
public sealed record PageView(int PaperSize, bool Landscape, bool FitToPage, int FitToWidth, int FitToHeight, (int First, int Last)? RepeatRows)
{
    public const int A4 = 9;
}

/// <summary>The stylesheet's cell formats, resolved to what a test checks.</summary>
internal sealed class StyleTable
{
    private static readonly Dictionary<int, string> BuiltIn = new()
    {
        [0] = "General", [1] = "0", [2] = "0.00", [3] = "#,##0", [4] = "#,##0.00", [9] = "0%", [10] = "0.00%", [14] = "yyyy-mm-dd", [22] = "yyyy-mm-dd h:mm", [49] = "@",
    };

    private readonly List<CellStyleView> cellFormats = [];
    private readonly CellStyleView fallback = new(false, null, null, false, null, true, false, false, 0, "General");

    public StyleTable(X.Stylesheet? sheet)
    {
        if (sheet is null) return;
        var formats = sheet.NumberingFormats?.Elements<X.NumberingFormat>()
            .Where(f => f.NumberFormatId is not null).ToDictionary(f => (int)f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? "") ?? [];
        var fonts = sheet.Fonts?.Elements<X.Font>().ToList() ?? [];
        var fills = sheet.Fills?.Elements<X.Fill>().ToList() ?? [];
        foreach (var xf in sheet.CellFormats?.Elements<X.CellFormat>() ?? [])
        {
            var font = xf.FontId is { } fi && fi.Value < fonts.Count ? fonts[(int)fi.Value] : null;
            var fill = xf.FillId is { } li && li.Value < fills.Count ? fills[(int)li.Value] : null;
            var bold = font?.Bold is { } b && (b.Val?.Value ?? true);
            var numFmt = (int)(xf.NumberFormatId?.Value ?? 0);
            var pattern = fill?.PatternFill;
            var filled = pattern?.PatternType?.Value is { } p && p != X.PatternValues.None ? pattern.ForegroundColor?.Rgb?.Value ?? ThemeColor(pattern.ForegroundColor) : null;
            cellFormats.Add(new CellStyleView(
                bold,
                font?.Color?.Rgb?.Value,
                filled,
                xf.Alignment?.WrapText?.Value ?? false,
                xf.Alignment?.Horizontal?.InnerText,
                xf.Protection?.Locked?.Value ?? true,
                xf.Protection?.Hidden?.Value ?? false,
                xf.QuotePrefix?.Value ?? false,
                numFmt,
                formats.GetValueOrDefault(numFmt) ?? BuiltIn.GetValueOrDefault(numFmt) ?? ""));
        }
    }

    public CellStyleView Cell(int index) => index < cellFormats.Count ? cellFormats[index] : fallback;

    private static string? ThemeColor(X.ForegroundColor? color) =>
        color?.Theme?.Value is { } theme ? $"theme:{theme}" : color?.Indexed?.Value is { } indexed ? $"indexed:{indexed}" : null;
}

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
