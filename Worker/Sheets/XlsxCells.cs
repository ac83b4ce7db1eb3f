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

    /// <summary>The file this reader opened itself (closed with it); null when the caller gave a stream.</summary>
    private Stream? ownedStream;

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
            var cells = Open(stream);
            cells.ownedStream = stream;
            return cells;
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
        // One forward pass, names compared as atoms: a 20,000-row roster reads in a fraction of a second.
        var names = reader.NameTable;
        object rowName = names.Add("row"), cellName = names.Add("c"), valueName = names.Add("v"), formulaName = names.Add("f"),
            inlineName = names.Add("is"), mergeName = names.Add("mergeCell");
        List<XlsxCell>? cells = null;
        int rowNumber = 0, nextRow = 1, nextColumn = 1;
        var inCell = false;
        int column = 0, style = 0;
        string? type = null, value = null, formula = null, inline = null;

        void EndCell()
        {
            if (!inCell) return;
            inCell = false;
            if (Make(column, type, style, value, formula, inline) is { } made) (cells ??= []).Add(made);
        }

        void EndRow()
        {
            EndCell();
            if (cells is not { Count: > 0 }) return;
            cells.Sort((a, b) => a.Column.CompareTo(b.Column));
            result.Rows.Add(new XlsxRow(rowNumber, cells));
            result.LastColumn = Math.Max(result.LastColumn, cells[^1].Column);
            cells = null;
        }

        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                var name = reader.LocalName;
                if (ReferenceEquals(name, valueName) && inCell) { value = reader.ReadElementContentAsString(); continue; }
                if (ReferenceEquals(name, formulaName) && inCell) { formula = reader.ReadElementContentAsString(); continue; }
                if (ReferenceEquals(name, inlineName) && inCell) { inline = RichText(reader); continue; }
                if (ReferenceEquals(name, cellName))
                {
                    EndCell();
                    inCell = true;
                    column = ColumnOf(reader.GetAttribute("r")) ?? nextColumn;
                    nextColumn = column + 1;
                    type = reader.GetAttribute("t");
                    style = int.TryParse(reader.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var st) ? st : 0;
                    value = formula = inline = null;
                    if (reader.IsEmptyElement) EndCell();
                }
                else if (ReferenceEquals(name, rowName))
                {
                    EndRow();
                    rowNumber = int.TryParse(reader.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : nextRow;
                    nextRow = rowNumber + 1;
                    nextColumn = 1;
                    if (reader.IsEmptyElement) EndRow();
                }
                else if (ReferenceEquals(name, mergeName) && reader.GetAttribute("ref") is { } range)
                    result.MergedRanges.Add(range);
            }
            else if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (ReferenceEquals(reader.LocalName, cellName)) EndCell();
                else if (ReferenceEquals(reader.LocalName, rowName)) EndRow();
            }
            reader.Read();
        }
        EndRow();
        result.Rows.Sort((a, b) => a.Number.CompareTo(b.Number));
        return result;
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
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return "";
        }
        var depth = reader.Depth;
        string? single = null;
        StringBuilder? sb = null;
        reader.Read();
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "rPh") reader.Skip();
            else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t")
            {
                var text = reader.ReadElementContentAsString();
                if (single is null && sb is null) single = text;
                else (sb ??= new StringBuilder(single)).Append(text);
            }
            else reader.Read();
        }
        reader.Read();
        return Unescaped(sb?.ToString() ?? single ?? "");
    }

    /// <summary>Excel's escapes for characters XML cannot carry: "_x0001_" is U+0001, and "_x005F_" a literal underscore before such a pattern.</summary>
    internal static string Unescaped(string text)
    {
        if (!text.Contains("_x", StringComparison.Ordinal)) return text;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '_' && i + 6 < text.Length && text[i + 1] == 'x' && text[i + 6] == '_'
                && int.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                sb.Append((char)code);
                i += 6;
            }
            else sb.Append(text[i]);
        }
        return sb.ToString();
    }

    private void ReadSharedStrings(SharedStringTablePart part)
    {
        using var reader = XmlReader.Create(part.GetStream(FileMode.Open, FileAccess.Read), Settings);
        var item = reader.NameTable.Add("si");
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && ReferenceEquals(reader.LocalName, item)) sharedStrings.Add(RichText(reader));
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

    public void Dispose()
    {
        document.Dispose();
        ownedStream?.Dispose();
    }
}
