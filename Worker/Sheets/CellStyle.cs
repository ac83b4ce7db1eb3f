namespace CollectionWorker.Sheets;

public enum HorizontalAlign { General, Left, Center, Right }

public enum VerticalAlign { Bottom, Center, Top }

public enum BorderLine { None, Thin, Medium }

/// <summary>
/// How one cell looks: font, fill, borders, alignment, number format and whether it is locked when the
/// sheet is protected. A value (records compare by value): cells that look the same share one style in
/// the saved file. Change a cell's look with <c>sheet.Style(row, column, s =&gt; s with { Bold = true })</c>.
/// Colours are "#RRGGBB"; null means none (no fill, the automatic font colour).
/// </summary>
public sealed record CellStyle
{
    public static readonly CellStyle Default = new();

    public bool Bold { get; init; }
    public double FontSize { get; init; } = 11;
    public string? FontColour { get; init; }
    public string? Fill { get; init; }
    public BorderLine Left { get; init; }
    public BorderLine Right { get; init; }
    public BorderLine Top { get; init; }
    public BorderLine Bottom { get; init; }
    public HorizontalAlign Horizontal { get; init; }
    public VerticalAlign Vertical { get; init; }
    public bool WrapText { get; init; }
    /// <summary>An Excel number format code ("0.0", "0.0%", "yyyy-mm-dd hh:mm", "@"); null = General.</summary>
    public string? NumberFormat { get; init; }
    /// <summary>Locked cells cannot be typed over once the sheet is protected (Excel's default: every cell locked).</summary>
    public bool Locked { get; init; } = true;
    /// <summary>Text shown as typed even if it starts with = + - @ (Excel's quote prefix).</summary>
    public bool QuotePrefix { get; init; }

    /// <summary>This style with the same line on all four sides.</summary>
    public CellStyle Boxed(BorderLine line) => this with { Left = line, Right = line, Top = line, Bottom = line };
}
