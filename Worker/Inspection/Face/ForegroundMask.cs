namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Which pixels belong to the person rather than the background, one flag per pixel, row after
/// row. The face model has no point on the top of the head or on the shoulders: those come from
/// the silhouette, which the background check computes; this type only carries it.
/// </summary>
public sealed class ForegroundMask
{
    private readonly bool[] _foreground;

    public ForegroundMask(bool[] foreground, int width, int height)
    {
        if (width <= 0 || height <= 0 || foreground.Length != width * height)
            throw new ArgumentException($"A {width}x{height} mask needs {width * height} flags; got {foreground.Length}.", nameof(foreground));
        _foreground = foreground;
        Width = width;
        Height = height;
    }

    public int Width { get; }
    public int Height { get; }

    public bool this[int x, int y] => _foreground[y * Width + x];

    /// <summary>How many pixels of row <paramref name="y"/> between columns <paramref name="x0"/> and <paramref name="x1"/> (inclusive, clipped) are foreground.</summary>
    public int CountInRow(int y, int x0, int x1)
    {
        x0 = Math.Max(x0, 0);
        x1 = Math.Min(x1, Width - 1);
        var n = 0;
        for (var x = x0; x <= x1; x++)
            if (_foreground[y * Width + x]) n++;
        return n;
    }
}
