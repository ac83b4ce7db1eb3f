using System.Globalization;

namespace CollectionWorker.Sheets;

/// <summary>
/// A workbook being written: its sheets in tab order, which tab opens first, and custom document
/// properties. Saved by <see cref="XlsxPackageWriter"/> through the Open XML SDK (managed code only:
/// no System.Drawing, no libgdiplus). Typical use:
/// <code>
/// var book = new XlsxWorkbook();
/// var ws = book.AddSheet("名单 Roster");
/// SheetWriting.Header(ws, 1, "学号 StudentNumber", "姓名 Name");
/// ws.Text(2, 1, "001234");
/// SheetWriting.Finish(ws, headerRow: 1, lastRow: 2, columns: 2);
/// book.SaveAs(path);
/// </code>
/// </summary>
public sealed class XlsxWorkbook
{
    private readonly List<XlsxWorksheet> sheets = [];
    private readonly Dictionary<string, ExcelNumberFormat.NumberFormat> formats = new(StringComparer.Ordinal);

    public IReadOnlyList<XlsxWorksheet> Sheets => sheets;

    /// <summary>The tab shown when the file is opened; null = the first visible sheet.</summary>
    public XlsxWorksheet? ActiveSheet { get; set; }

    /// <summary>Custom document properties (File → Properties → Custom in Excel), written as text.</summary>
    public Dictionary<string, string> CustomProperties { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds a sheet at the end, or at tab <paramref name="position"/> (1-based). The name must be valid and unique: see <see cref="SheetWriting.SheetName"/>.</summary>
    public XlsxWorksheet AddSheet(string name, int? position = null)
    {
        if (name.Length is 0 or > 31 || name.IndexOfAny(['[', ']', ':', '*', '?', '/', '\\']) >= 0 || name[0] == '\'' || name[^1] == '\'')
            throw new ArgumentException($"'{name}' is not a sheet name Excel accepts (1–31 characters, none of []:*?/\\, no quote at either end)", nameof(name));
        if (Sheet(name) is not null) throw new ArgumentException($"the workbook already has a sheet '{name}'", nameof(name));
        var sheet = new XlsxWorksheet(this, name);
        if (position is { } p) sheets.Insert(Math.Clamp(p - 1, 0, sheets.Count), sheet);
        else sheets.Add(sheet);
        return sheet;
    }

    /// <summary>The sheet of that name (case-insensitive, as Excel compares them); null when there is none.</summary>
    public XlsxWorksheet? Sheet(string name) => sheets.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public void Save(Stream output) => XlsxPackageWriter.Write(this, output);

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        Save(stream);
        return stream.ToArray();
    }

    /// <summary>Written whole under a temporary name, then renamed: nobody opens a half-written workbook.</summary>
    public void SaveAs(string path)
    {
        var temp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None)) Save(stream);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>A number as a cell with this format shows it (for widths; never written to the file).</summary>
    internal string FormatNumber(double value, string? format)
    {
        if (string.IsNullOrEmpty(format) || format == "General") return NumberFormats.Plain(value);
        if (!formats.TryGetValue(format, out var parsed)) formats[format] = parsed = new ExcelNumberFormat.NumberFormat(format);
        try
        {
            return parsed.IsValid ? parsed.Format(value, CultureInfo.InvariantCulture) : NumberFormats.Plain(value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return NumberFormats.Plain(value);
        }
    }
}
