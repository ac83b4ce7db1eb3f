using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Tests.Support;

/// <summary>
/// Writes fixture workbooks and edits saved ones in place with the Open XML SDK, as Excel would: a
/// typed value replaces the cell's value and keeps its format, everything else in the package (the
/// pictures, protection, dropdowns, hidden sheets and columns, custom properties) stays as it was.
/// Text goes into the shared string table, as Excel writes it. Saved when disposed.
/// </summary>
public sealed class WorkbookEditor : IDisposable
{
    private readonly SpreadsheetDocument document;
    private readonly WorkbookPart workbook;
    private readonly List<WorksheetEditor> opened = [];
    private SharedStrings? shared;
    private bool stylesChanged;

    private WorkbookEditor(SpreadsheetDocument document)
    {
        this.document = document;
        workbook = document.WorkbookPart ?? throw new InvalidDataException("the package has no workbook part");
    }

    /// <summary>A new, empty workbook at <paramref name="path"/> (add sheets with <see cref="AddSheet"/>).</summary>
    public static WorkbookEditor Create(string path)
    {
        var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var part = document.AddWorkbookPart();
        part.Workbook = new X.Workbook(new X.Sheets());
        part.AddNewPart<WorkbookStylesPart>().Stylesheet = new X.Stylesheet(
            new X.Fonts(new X.Font(new X.FontSize { Val = 11 }, new X.FontName { Val = "Calibri" })) { Count = 1 },
            new X.Fills(new X.Fill(new X.PatternFill { PatternType = X.PatternValues.None }),
                new X.Fill(new X.PatternFill { PatternType = X.PatternValues.Gray125 })) { Count = 2 },
            new X.Borders(new X.Border(new X.LeftBorder(), new X.RightBorder(), new X.TopBorder(), new X.BottomBorder(), new X.DiagonalBorder())) { Count = 1 },
            new X.CellStyleFormats(new X.CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            new X.CellFormats(new X.CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0, FormatId = 0 }) { Count = 1 },
            new X.CellStyles(new X.CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
        part.AddNewPart<SharedStringTablePart>().SharedStringTable = new X.SharedStringTable();
        return new WorkbookEditor(document);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="saveAs"/> and opens the copy for editing.</summary>
    public static WorkbookEditor Edit(string source, string saveAs)
    {
        if (Path.GetFullPath(source) != Path.GetFullPath(saveAs)) File.Copy(source, saveAs, overwrite: true);
        return new WorkbookEditor(SpreadsheetDocument.Open(saveAs, true));
    }

    public WorksheetEditor AddSheet(string name)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        part.Worksheet = new X.Worksheet(new X.SheetData());
        var sheets = workbook.Workbook.Sheets ??= new X.Sheets();
        var id = sheets.Elements<X.Sheet>().Select(s => s.SheetId?.Value ?? 0).DefaultIfEmpty(0u).Max() + 1;
        sheets.Append(new X.Sheet { Name = name, SheetId = id, Id = workbook.GetIdOfPart(part) });
        return Open(name, part);
    }

    public WorksheetEditor Sheet(string name)
    {
        var entry = workbook.Workbook.Sheets?.Elements<X.Sheet>().FirstOrDefault(s => s.Name?.Value == name)
                    ?? throw new Xunit.Sdk.XunitException($"no sheet '{name}' to edit");
        return opened.FirstOrDefault(o => o.Name == name) ?? Open(name, (WorksheetPart)workbook.GetPartById(entry.Id!.Value!));
    }

    /// <summary>The sheet at <paramref name="position"/> (from 1, hidden sheets count).</summary>
    public WorksheetEditor Sheet(int position) => Sheet(workbook.Workbook.Sheets!.Elements<X.Sheet>().ElementAt(position - 1).Name!.Value!);

    public IEnumerable<string> SheetNames => workbook.Workbook.Sheets?.Elements<X.Sheet>().Select(s => s.Name!.Value!) ?? [];

    /// <summary>Removes a custom document property (File › Properties › Custom), as a user or an older version would leave it out.</summary>
    public void DeleteCustomProperty(string name)
    {
        var properties = document.CustomFilePropertiesPart?.Properties
                         ?? throw new Xunit.Sdk.XunitException("the workbook has no custom properties");
        var property = properties.Elements<DocumentFormat.OpenXml.CustomProperties.CustomDocumentProperty>().SingleOrDefault(p => p.Name?.Value == name)
                       ?? throw new Xunit.Sdk.XunitException($"the workbook has no custom property '{name}'");
        property.Remove();
        properties.Save();
    }

    private WorksheetEditor Open(string name, WorksheetPart part)
    {
        var editor = new WorksheetEditor(this, name, part);
        opened.Add(editor);
        return editor;
    }

    internal SharedStrings Strings => shared ??= new SharedStrings(workbook.SharedStringTablePart ?? CreateSharedStrings());

    private SharedStringTablePart CreateSharedStrings()
    {
        var part = workbook.AddNewPart<SharedStringTablePart>();
        part.SharedStringTable = new X.SharedStringTable();
        return part;
    }

    /// <summary>The index of a cell format like <paramref name="baseStyle"/> but with the number format <paramref name="code"/> (or built-in id).</summary>
    internal uint StyleWithNumberFormat(uint baseStyle, string? code, uint? builtInId = null)
    {
        var stylesheet = workbook.WorkbookStylesPart!.Stylesheet;
        uint id;
        if (builtInId is { } b) id = b;
        else
        {
            var formats = stylesheet.NumberingFormats;
            if (formats is null)
            {
                formats = new X.NumberingFormats();
                stylesheet.InsertAt(formats, 0);
            }
            var existing = formats.Elements<X.NumberingFormat>().FirstOrDefault(f => f.FormatCode?.Value == code);
            if (existing is not null) id = existing.NumberFormatId!.Value;
            else
            {
                id = Math.Max(163u, formats.Elements<X.NumberingFormat>().Select(f => f.NumberFormatId?.Value ?? 0).DefaultIfEmpty(0u).Max()) + 1;
                formats.Append(new X.NumberingFormat { NumberFormatId = id, FormatCode = code });
                formats.Count = (uint)formats.ChildElements.Count;
            }
        }
        var cellFormats = stylesheet.CellFormats!;
        var source = cellFormats.Elements<X.CellFormat>().ElementAt((int)baseStyle);
        var copy = (X.CellFormat)source.CloneNode(true);
        copy.NumberFormatId = id;
        copy.ApplyNumberFormat = true;
        cellFormats.Append(copy);
        cellFormats.Count = (uint)cellFormats.ChildElements.Count;
        stylesChanged = true;
        return (uint)cellFormats.ChildElements.Count - 1;
    }

    public void Dispose()
    {
        foreach (var sheet in opened) sheet.Save();
        shared?.Save();
        if (stylesChanged) workbook.WorkbookStylesPart!.Stylesheet.Save();
        workbook.Workbook.Save();
        document.Dispose();
    }

    /// <summary>The shared string table: text by index, and the index of a text (added when new).</summary>
    internal sealed class SharedStrings
    {
        private readonly SharedStringTablePart part;
        private readonly List<string> texts;
        private readonly Dictionary<string, int> plain = [];
        private bool changed;

        public SharedStrings(SharedStringTablePart part)
        {
            this.part = part;
            part.SharedStringTable ??= new X.SharedStringTable();
            texts = part.SharedStringTable.Elements<X.SharedStringItem>().Select(WorkbookView.PlainText).ToList();
            var i = 0;
            foreach (var item in part.SharedStringTable.Elements<X.SharedStringItem>())
            {
                if (item.ChildElements.Count == 1 && item.Text is not null) plain.TryAdd(texts[i], i);
                i++;
            }
        }

        public string this[int index] => texts[index];

        public int IndexOf(string text)
        {
            if (plain.TryGetValue(text, out var index)) return index;
            part.SharedStringTable.Append(new X.SharedStringItem(new X.Text(text) { Space = SpaceProcessingModeValues.Preserve }));
            texts.Add(text);
            plain[text] = texts.Count - 1;
            changed = true;
            return texts.Count - 1;
        }

        public void Save()
        {
            if (!changed) return;
            var table = part.SharedStringTable;
            table.UniqueCount = (uint)texts.Count;
            table.Count = Math.Max(table.Count?.Value ?? 0, (uint)texts.Count);
            table.Save();
        }
    }
}

/// <summary>One sheet being edited: set, clear and read cells by row and column (from 1), merge a range.</summary>
public sealed class WorksheetEditor : ICellLookup
{
    private readonly WorkbookEditor book;
    private readonly WorksheetPart part;
    private readonly X.SheetData data;
    private readonly SortedDictionary<int, X.Row> rows = [];
    private bool changed;

    internal WorksheetEditor(WorkbookEditor book, string name, WorksheetPart part)
    {
        this.book = book;
        this.part = part;
        Name = name;
        data = part.Worksheet.GetFirstChild<X.SheetData>() ?? part.Worksheet.AppendChild(new X.SheetData());
        foreach (var row in data.Elements<X.Row>())
            rows[(int)(row.RowIndex?.Value ?? throw new InvalidDataException($"'{name}': a row without its number"))] = row;
    }

    public string Name { get; }

    /// <summary>Types text into a cell (an empty text clears it, as deleting the content does). Text starting with '=' is text here; see <see cref="SetFormula"/>.</summary>
    public WorksheetEditor SetText(int row, int column, string text)
    {
        if (text.Length == 0) return Clear(row, column);
        var cell = Cell(row, column);
        cell.RemoveAllChildren();
        cell.DataType = X.CellValues.SharedString;
        cell.CellValue = new X.CellValue(book.Strings.IndexOf(text).ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public WorksheetEditor SetText(string address, string text)
    {
        var (row, column) = CellAddress.Parse(address);
        return SetText(row, column, text);
    }

    /// <summary>A number, optionally with a number format code (e.g. "0000000" to show leading zeros).</summary>
    public WorksheetEditor SetNumber(int row, int column, double number, string? format = null)
    {
        var cell = Cell(row, column);
        cell.RemoveAllChildren();
        cell.DataType = null;
        cell.CellValue = new X.CellValue(number.ToString("R", CultureInfo.InvariantCulture));
        if (format is not null) cell.StyleIndex = book.StyleWithNumberFormat(cell.StyleIndex?.Value ?? 0, format);
        return this;
    }

    /// <summary>A real date cell: the date serial with Excel's built-in date (14) or date-time (22) format.</summary>
    public WorksheetEditor SetDate(int row, int column, DateTime date)
    {
        SetNumber(row, column, date.ToOADate());
        var cell = Cell(row, column);
        cell.StyleIndex = book.StyleWithNumberFormat(cell.StyleIndex?.Value ?? 0, null, date.TimeOfDay == TimeSpan.Zero ? 14u : 22u);
        return this;
    }

    /// <summary>A formula (with or without its '='); with <paramref name="cachedText"/>, the text result Excel stores when it saves, else no result at all.</summary>
    public WorksheetEditor SetFormula(int row, int column, string formula, string? cachedText = null)
    {
        var cell = Cell(row, column);
        cell.RemoveAllChildren();
        cell.DataType = cachedText is null ? null : X.CellValues.String;
        cell.CellFormula = new X.CellFormula(formula.StartsWith('=') ? formula[1..] : formula);
        if (cachedText is not null) cell.CellValue = new X.CellValue(cachedText);
        return this;
    }

    /// <summary>Deletes the cell's content (value or formula) and keeps its format, as the Delete key does.</summary>
    public WorksheetEditor Clear(int row, int column)
    {
        if (!rows.TryGetValue(row, out var r) || r.Elements<X.Cell>().FirstOrDefault(c => c.CellReference?.Value == CellAddress.Of(row, column)) is not { } cell)
            return this;
        changed = true;
        cell.RemoveAllChildren();
        cell.DataType = null;
        return this;
    }

    public WorksheetEditor Clear(string address)
    {
        var (row, column) = CellAddress.Parse(address);
        return Clear(row, column);
    }

    /// <summary>Merges a range such as "J1:K1".</summary>
    public WorksheetEditor Merge(string range)
    {
        var worksheet = part.Worksheet;
        var merges = worksheet.GetFirstChild<X.MergeCells>();
        if (merges is null)
        {
            merges = new X.MergeCells();
            // mergeCells follows sheetData and the elements the schema puts between them.
            OpenXmlElement after = data;
            foreach (var e in worksheet.ChildElements)
                if (e is X.SheetCalculationProperties or X.SheetProtection or X.ProtectedRanges or X.Scenarios or X.AutoFilter or X.SortState
                    or X.DataConsolidate or X.CustomSheetViews) after = e;
            worksheet.InsertAfter(merges, after);
        }
        merges.Append(new X.MergeCell { Reference = range });
        merges.Count = (uint)merges.ChildElements.Count;
        changed = true;
        return this;
    }

    /// <summary>The cell's text as stored: a shared or inline string, a formula's stored result, a number's digits.</summary>
    public string Text(int row, int column)
    {
        if (!rows.TryGetValue(row, out var r)) return "";
        var cell = r.Elements<X.Cell>().FirstOrDefault(c => c.CellReference?.Value == CellAddress.Of(row, column));
        if (cell is null) return "";
        if (cell.DataType?.Value == X.CellValues.SharedString && cell.CellValue is { } v) return book.Strings[int.Parse(v.Text, CultureInfo.InvariantCulture)];
        if (cell.DataType?.Value == X.CellValues.InlineString) return cell.InlineString is null ? "" : WorkbookView.PlainText(cell.InlineString);
        return cell.CellValue?.Text ?? "";
    }

    public string Text(string address)
    {
        var (row, column) = CellAddress.Parse(address);
        return Text(row, column);
    }

    public int LastRow => rows.Where(r => r.Value.Elements<X.Cell>().Any(c => c.CellValue is not null || c.InlineString is not null || c.CellFormula is not null))
        .Select(r => r.Key).DefaultIfEmpty(0).Max();

    public int LastColumn => rows.Values.SelectMany(r => r.Elements<X.Cell>())
        .Where(c => c.CellValue is not null || c.InlineString is not null || c.CellFormula is not null)
        .Select(c => CellAddress.Parse(c.CellReference!.Value!).Column).DefaultIfEmpty(0).Max();

    private uint? ColumnStyle(int column) =>
        part.Worksheet.Elements<X.Columns>().SelectMany(c => c.Elements<X.Column>())
            .FirstOrDefault(c => column >= (c.Min?.Value ?? 0) && column <= (c.Max?.Value ?? 0))?.Style?.Value;

    internal void Save()
    {
        if (changed) part.Worksheet.Save();
    }

    /// <summary>The cell element, created in its place (rows and cells in order) when the sheet has none.</summary>
    private X.Cell Cell(int row, int column)
    {
        changed = true;
        if (!rows.TryGetValue(row, out var r))
        {
            r = new X.Row { RowIndex = (uint)row };
            var next = rows.FirstOrDefault(x => x.Key > row).Value;
            if (next is null) data.Append(r);
            else data.InsertBefore(r, next);
            rows[row] = r;
        }
        var reference = CellAddress.Of(row, column);
        var cell = r.Elements<X.Cell>().FirstOrDefault(c => c.CellReference?.Value == reference);
        if (cell is not null) return cell;
        // Excel gives a new cell its row's format, else its column's (an unlocked decision column stays unlocked).
        cell = new X.Cell { CellReference = reference, StyleIndex = (r.CustomFormat?.Value == true ? r.StyleIndex?.Value : ColumnStyle(column)) is { } style ? style : null };
        var after = r.Elements<X.Cell>().FirstOrDefault(c => CellAddress.Parse(c.CellReference!.Value!).Column > column);
        if (after is null) r.Append(cell);
        else r.InsertBefore(cell, after);
        // A row that lists its span keeps it true.
        if (r.Spans is not null) r.Spans = null;
        return cell;
    }
}
