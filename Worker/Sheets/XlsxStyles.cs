using DocumentFormat.OpenXml;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Sheets;

/// <summary>
/// The workbook's style table: each distinct <see cref="CellStyle"/> becomes one cell format (xf), fonts,
/// fills, borders and number formats shared between them. Index 0 is the default look.
/// </summary>
internal sealed class XlsxStyles
{
    private readonly Dictionary<CellStyle, uint> formats = [];
    private readonly List<CellStyle> ordered = [];
    private readonly Dictionary<(bool Bold, double Size, string? Colour), uint> fonts = [];
    private readonly Dictionary<string, uint> fills = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(BorderLine, BorderLine, BorderLine, BorderLine), uint> borders = [];
    private readonly Dictionary<string, uint> numberFormats = new(StringComparer.Ordinal);

    public XlsxStyles() => IndexOf(CellStyle.Default);

    public uint IndexOf(CellStyle style)
    {
        if (formats.TryGetValue(style, out var index)) return index;
        index = (uint)ordered.Count;
        formats[style] = index;
        ordered.Add(style);
        return index;
    }

    public X.Stylesheet ToStylesheet()
    {
        var xfs = new X.CellFormats();
        foreach (var style in ordered) xfs.Append(Format(style));
        xfs.Count = (uint)xfs.ChildElements.Count;

        var fontList = new X.Fonts();
        foreach (var ((bold, size, colour), _) in fonts.OrderBy(f => f.Value))
        {
            var font = new X.Font();
            if (bold) font.Append(new X.Bold());
            font.Append(new X.FontSize { Val = size });
            if (colour is not null) font.Append(new X.Color { Rgb = Argb(colour) });
            font.Append(new X.FontName { Val = "Calibri" });
            font.Append(new X.FontFamilyNumbering { Val = 2 });
            fontList.Append(font);
        }
        fontList.Count = (uint)fontList.ChildElements.Count;

        // The first two fills are reserved by the format: none and gray125.
        var fillList = new X.Fills(
            new X.Fill(new X.PatternFill { PatternType = X.PatternValues.None }),
            new X.Fill(new X.PatternFill { PatternType = X.PatternValues.Gray125 }));
        foreach (var (colour, _) in fills.OrderBy(f => f.Value))
            fillList.Append(new X.Fill(new X.PatternFill(new X.ForegroundColor { Rgb = Argb(colour) }, new X.BackgroundColor { Indexed = 64 })
                { PatternType = X.PatternValues.Solid }));
        fillList.Count = (uint)fillList.ChildElements.Count;

        var borderList = new X.Borders();
        foreach (var ((left, right, top, bottom), _) in borders.OrderBy(b => b.Value))
            borderList.Append(new X.Border(Side(new X.LeftBorder(), left), Side(new X.RightBorder(), right), Side(new X.TopBorder(), top),
                Side(new X.BottomBorder(), bottom), new X.DiagonalBorder()));
        borderList.Count = (uint)borderList.ChildElements.Count;

        var stylesheet = new X.Stylesheet();
        if (numberFormats.Count > 0)
        {
            var numFmts = new X.NumberingFormats();
            foreach (var (code, id) in numberFormats.OrderBy(n => n.Value)) numFmts.Append(new X.NumberingFormat { NumberFormatId = id, FormatCode = code });
            numFmts.Count = (uint)numFmts.ChildElements.Count;
            stylesheet.Append(numFmts);
        }
        stylesheet.Append(fontList, fillList, borderList,
            new X.CellStyleFormats(new X.CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            xfs,
            new X.CellStyles(new X.CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 },
            new X.DifferentialFormats { Count = 0 });
        return stylesheet;
    }

    private X.CellFormat Format(CellStyle s)
    {
        var font = Id(fonts, (s.Bold, s.FontSize, s.FontColour?.ToUpperInvariant()), 0);
        var fill = s.Fill is null ? 0 : Id(fills, s.Fill, 2);
        var border = Id(borders, (s.Left, s.Right, s.Top, s.Bottom), 0);
        var numberFormat = NumberFormatId(s.NumberFormat);
        var xf = new X.CellFormat { NumberFormatId = numberFormat, FontId = font, FillId = fill, BorderId = border, FormatId = 0 };
        if (numberFormat != 0) xf.ApplyNumberFormat = true;
        if (font != 0) xf.ApplyFont = true;
        if (fill != 0) xf.ApplyFill = true;
        if (border != 0) xf.ApplyBorder = true;
        if (s.QuotePrefix) xf.QuotePrefix = true;
        if (s.Horizontal != HorizontalAlign.General || s.Vertical != VerticalAlign.Bottom || s.WrapText)
        {
            xf.ApplyAlignment = true;
            var alignment = new X.Alignment();
            if (s.Horizontal != HorizontalAlign.General)
                alignment.Horizontal = s.Horizontal switch
                {
                    HorizontalAlign.Left => X.HorizontalAlignmentValues.Left,
                    HorizontalAlign.Center => X.HorizontalAlignmentValues.Center,
                    _ => X.HorizontalAlignmentValues.Right,
                };
            if (s.Vertical != VerticalAlign.Bottom)
                alignment.Vertical = s.Vertical == VerticalAlign.Top ? X.VerticalAlignmentValues.Top : X.VerticalAlignmentValues.Center;
            if (s.WrapText) alignment.WrapText = true;
            xf.Append(alignment);
        }
        if (!s.Locked)
        {
            xf.ApplyProtection = true;
            xf.Append(new X.Protection { Locked = false });
        }
        return xf;
    }

    /// <summary>A built-in format's id when the code is one (so readers recognise dates), else a custom id from 164 on.</summary>
    private uint NumberFormatId(string? code)
    {
        if (string.IsNullOrEmpty(code) || code == "General") return 0;
        foreach (var id in (int[])[1, 2, 3, 4, 9, 10, 14, 22, 49])
            if (NumberFormats.BuiltIn(id) == code) return (uint)id;
        return Id(numberFormats, code, 164);
    }

    private static uint Id<TKey>(Dictionary<TKey, uint> table, TKey key, uint first) where TKey : notnull
    {
        if (!table.TryGetValue(key, out var id)) table[key] = id = first + (uint)table.Count;
        return id;
    }

    private static T Side<T>(T side, BorderLine line) where T : X.BorderPropertiesType
    {
        if (line == BorderLine.None) return side;
        side.Style = line == BorderLine.Thin ? X.BorderStyleValues.Thin : X.BorderStyleValues.Medium;
        side.Append(new X.Color { Indexed = 64 });
        return side;
    }

    /// <summary>"#RRGGBB" as the file's opaque "FFRRGGBB".</summary>
    private static HexBinaryValue Argb(string colour)
    {
        var hex = colour.TrimStart('#');
        if (hex.Length != 6 || !hex.All(Uri.IsHexDigit)) throw new ArgumentException($"'{colour}' is not a colour (#RRGGBB)", nameof(colour));
        return new HexBinaryValue("FF" + hex.ToUpperInvariant());
    }
}
