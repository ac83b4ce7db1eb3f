using System.Text.RegularExpressions;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Tests.Support;

/// <summary>What a cell holds as the file stores it; Empty for a cell the file does not have or that has no value.</summary>
public enum CellKind { Empty, Text, Number, Date, Boolean, Error }

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
