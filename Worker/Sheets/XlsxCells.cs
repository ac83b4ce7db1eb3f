using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;

namespace CollectionWorker.Sheets;

/// <summary>What a cell holds, as the file stores it.</summary>
public enum XlsxKind { Text, Number, Date, Boolean, Error }

/// <summary>
/// One cell as read from the file: its text as a person sees it (numbers by their format), the raw
/// number where there is one, and its formula (then the value is the result Excel stored with it).
/// </summary>
public sealed record XlsxCell(int Column, XlsxKind Kind, string Text, double? Number, string? Formula, int NumberFormatId, string? NumberFormat)
{
    public bool HasFormula => Formula is not null;
    /// <summary>General: no number format of its own (id 0, no code).</summary>
    public bool IsGeneral => NumberFormatId == 0 && string.IsNullOrEmpty(NumberFormat);
}

/// <summary>One row of cells (only the cells the file has, in column order).</summary>
public sealed record XlsxRow(int Number, IReadOnlyList<XlsxCell> Cells)
{
    public XlsxCell? Cell(int column)
    {
        foreach (var c in Cells)
            if (c.Column == column) return c;
        return null;
    }

    public string Text(int column) => Cell(column)?.Text ?? "";
}

/// <summary>A worksheet's cells and merged ranges, read in one pass.</summary>
public sealed class XlsxSheet(string name, bool hidden)
{
    public string Name { get; } = name;
    public bool Hidden { get; } = hidden;
    public List<XlsxRow> Rows { get; } = [];
    public List<string> MergedRanges { get; } = [];
    public int LastColumn { get; internal set; }
    public int LastRow => Rows.Count == 0 ? 0 : Rows[^1].Number;

    public XlsxRow? Row(int number)
    {
        // Rows are in ascending order; a binary search keeps a 20,000-row sheet quick to look into.
        int lo = 0, hi = Rows.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (Rows[mid].Number == number) return Rows[mid];
            if (Rows[mid].Number < number) lo = mid + 1;
            else hi = mid - 1;
        }
        return null;
    }

    public string Text(int row, int column) => Row(row)?.Text(column) ?? "";
}

/// <summary>
/// Reads an .xlsx without loading it into an object model and without its pictures: the package is
/// opened with the Open XML SDK only to find the parts, and each worksheet and the shared strings are
/// read as XML streams (forward only). Memory is proportional to the cells read, never to the pictures
/// or the formatting; nothing here needs System.Drawing. Cells without a value are skipped.
/// </summary>
public sealed class XlsxCells : IDisposable
{
    private readonly SpreadsheetDocument document;
    private readonly List<string> sharedStrings = [];
    private readonly List<(int Id, string? Code)> cellFormats = [];
    private readonly Dictionary<int, string> customFormats = [];
    private readonly Dictionary<int, ExcelNumberFormat.NumberFormat?> parsedFormats = [];

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true,
    };

    private XlsxCells(SpreadsheetDocument document)
    {
        this.document = document;
        var workbook = document.WorkbookPart ?? throw new InvalidDataException("the package has no workbook part");
        if (workbook.SharedStringTablePart is { } strings) ReadSharedStrings(strings);
        if (workbook.WorkbookStylesPart is { } styles) ReadStyles(styles);
        SheetNames = ReadSheetList(workbook);
    }

    /// <summary>Opens a file read-only and shared (a workbook still open in Excel can be read).</summary>
    public static XlsxCells Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            return Open(stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public static XlsxCells Open(Stream stream) =>
        new(SpreadsheetDocument.Open(stream, false, new OpenSettings { AutoSave = false }));

    /// <summary>The worksheets in tab order: name, whether hidden, and the part's relationship id.</summary>
    public IReadOnlyList<(string Name, bool Hidden, string PartId)> SheetNames { get; }

    /// <summary>The workbook's custom document properties as text (name → value).</summary>
    public Dictionary<string, string> CustomProperties()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document.CustomFilePropertiesPart is not { } part) return result;
        using var reader = XmlReader.Create(part.GetStream(FileMode.Open, FileAccess.Read), Settings);
        string? name = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            if (reader.LocalName == "property") name = reader.GetAttribute("name");
            else if (name is not null && reader.Depth >= 2)
            {
                result[name] = reader.ReadElementContentAsString().Trim();
                name = null;
            }
        }
        return result;
    }

    /// <summary>Reads one worksheet by name; null when there is none.</summary>
    public XlsxSheet? Read(string name) =>
        SheetNames.FirstOrDefault(s => s.Name == name) is { PartId: not null } found && found.Name is not null ? Read(found) : null;

    public XlsxSheet Read((string Name, bool Hidden, string PartId) sheet)
    {
        var result = new XlsxSheet(sheet.Name, sheet.Hidden);
        if (document.WorkbookPart!.GetPartById(sheet.PartId) is not WorksheetPart part) return result;
        using var reader = XmlReader.Create(part.GetStream(FileMode.Open, FileAccess.Read), Settings);
        var nextRow = 1;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element) continue;
            if (reader.LocalName == "row")
            {
                var number = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : nextRow;
                nextRow = number + 1;
                var cells = reader.IsEmptyElement ? [] : ReadRow(reader.ReadSubtree());
                if (cells.Count == 0) continue;
                result.Rows.Add(new XlsxRow(number, cells));
                result.LastColumn = Math.Max(result.LastColumn, cells[^1].Column);
            }
            else if (reader.LocalName == "mergeCell" && reader.GetAttribute("ref") is { } range)
                result.MergedRanges.Add(range);
        }
        result.Rows.Sort((a, b) => a.Number.CompareTo(b.Number));
        return result;
    }

    private List<XlsxCell> ReadRow(XmlReader row)
    {
        var cells = new List<XlsxCell>();
        var nextColumn = 1;
        using (row)
        {
            row.Read();
            while (row.Read())
            {
                if (row.NodeType != XmlNodeType.Element || row.LocalName != "c") continue;
                var column = ColumnOf(row.GetAttribute("r")) ?? nextColumn;
                nextColumn = column + 1;
                var type = row.GetAttribute("t");
                var style = int.TryParse(row.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                string? value = null, formula = null, inline = null;
                if (!row.IsEmptyElement)
                {
                    using var cell = row.ReadSubtree();
                    cell.Read();
                    cell.Read();
                    // ReadElementContentAsString moves past the element: read on only when nothing was taken.
                    while (!cell.EOF)
                    {
                        if (cell.NodeType == XmlNodeType.Element && cell.LocalName == "v") value = cell.ReadElementContentAsString();
                        else if (cell.NodeType == XmlNodeType.Element && cell.LocalName == "f") formula = cell.ReadElementContentAsString();
                        else if (cell.NodeType == XmlNodeType.Element && cell.LocalName == "is") inline = RichText(cell);
                        else cell.Read();
                    }
                }
                if (Make(column, type, style, value, formula, inline) is { } made) cells.Add(made);
            }
        }
        cells.Sort((a, b) => a.Column.CompareTo(b.Column));
        return cells;
    }

    private XlsxCell? Make(int column, string? type, int style, string? value, string? formula, string? inline)
    {
        var (formatId, code) = style >= 0 && style < cellFormats.Count ? cellFormats[style] : (0, null);
        switch (type)
        {
            case "s":
                var text = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < sharedStrings.Count ? sharedStrings[index] : "";
                return new XlsxCell(column, XlsxKind.Text, text, null, formula, formatId, code);
            case "inlineStr":
                return inline is null && formula is null ? null : new XlsxCell(column, XlsxKind.Text, inline ?? "", null, formula, formatId, code);
            case "str":
                return new XlsxCell(column, XlsxKind.Text, value ?? "", null, formula, formatId, code);
            case "b":
                return value is null ? null : new XlsxCell(column, XlsxKind.Boolean, value.Trim() == "1" ? "TRUE" : "FALSE", null, formula, formatId, code);
            case "e":
                return new XlsxCell(column, XlsxKind.Error, value ?? "", null, formula, formatId, code);
            case "d":
                return DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var iso)
                    ? new XlsxCell(column, XlsxKind.Date, iso.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), iso.ToOADate(), formula, formatId, code)
                    : new XlsxCell(column, XlsxKind.Text, value ?? "", null, formula, formatId, code);
            default:
                if (value is null || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    return formula is null ? null : new XlsxCell(column, XlsxKind.Text, value ?? "", null, formula, formatId, code);
                var format = Format(formatId, code);
                var isDate = NumberFormats.IsDate(formatId, format);
                return new XlsxCell(column, isDate ? XlsxKind.Date : XlsxKind.Number, NumberFormats.Display(number, formatId, format, isDate), number, formula, formatId, code);
        }
    }

    private ExcelNumberFormat.NumberFormat? Format(int id, string? code)
    {
        if (parsedFormats.TryGetValue(id, out var parsed)) return parsed;
        var text = code ?? NumberFormats.BuiltIn(id);
        parsed = text is null ? null : new ExcelNumberFormat.NumberFormat(text);
        if (parsed is { IsValid: false }) parsed = null;
        parsedFormats[id] = parsed;
        return parsed;
    }

    /// <summary>"AB12" → 28; null when there is no reference.</summary>
    private static int? ColumnOf(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var column = 0;
        foreach (var ch in reference)
        {
            var upper = char.ToUpperInvariant(ch);
            if (upper is < 'A' or > 'Z') break;
            column = column * 26 + (upper - 'A' + 1);
        }
        return column == 0 ? null : column;
    }

    /// <summary>
    /// The text of a shared or inline string (the reader on its si or is element; left after it): its
    /// runs joined, phonetic guides (rPh) left out.
    /// </summary>
    private static string RichText(XmlReader reader)
    {
        var sb = new StringBuilder();
        using (var item = reader.ReadSubtree())
        {
            item.Read();
            item.Read();
            while (!item.EOF)
            {
                if (item.NodeType == XmlNodeType.Element && item.LocalName == "rPh") item.Skip();
                else if (item.NodeType == XmlNodeType.Element && item.LocalName == "t") sb.Append(item.ReadElementContentAsString());
                else item.Read();
            }
        }
        reader.Read();
        return sb.ToString();
    }

    private void ReadSharedStrings(SharedStringTablePart part)
    {
        using var reader = XmlReader.Create(part.GetStream(FileMode.Open, FileAccess.Read), Settings);
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si") sharedStrings.Add(RichText(reader));
            else reader.Read();
        }
    }

    private void ReadStyles(WorkbookStylesPart part)
    {
        using var reader = XmlReader.Create(part.GetStream(FileMode.Open, FileAccess.Read), Settings);
        var inCellXfs = false;
        var formats = new List<int>();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs") inCellXfs = false;
            if (reader.NodeType != XmlNodeType.Element) continue;
            switch (reader.LocalName)
            {
                case "numFmt" when int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    customFormats[id] = reader.GetAttribute("formatCode") ?? "";
                    break;
                case "cellXfs":
                    inCellXfs = !reader.IsEmptyElement;
                    break;
                case "xf" when inCellXfs:
                    formats.Add(int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0);
                    break;
            }
        }
        foreach (var id in formats) cellFormats.Add((id, customFormats.GetValueOrDefault(id)));
    }

    private static IReadOnlyList<(string Name, bool Hidden, string PartId)> ReadSheetList(WorkbookPart workbook)
    {
        var list = new List<(string, bool, string)>();
        using var reader = XmlReader.Create(workbook.GetStream(FileMode.Open, FileAccess.Read), Settings);
        const string relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        while (reader.Read())
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet"
                && reader.GetAttribute("name") is { } name
                && (reader.GetAttribute("id", relationships) ?? reader.GetAttribute("r:id")) is { } id)
                list.Add((name, reader.GetAttribute("state") is "hidden" or "veryHidden", id));
        return list;
    }

    public void Dispose() => document.Dispose();
}
