namespace CollectionWorker.Tests.Support;

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
