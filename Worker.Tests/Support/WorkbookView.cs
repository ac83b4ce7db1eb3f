using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Tests.Support;

/// <summary>A sheet's state in the workbook (its tab shown, hidden, or very hidden: unhidable only in the VBA editor).</summary>
public enum SheetState { Visible, Hidden, VeryHidden }

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
