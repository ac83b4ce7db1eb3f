using System.Buffers;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Which pixels belong to the person rather than the background, row after row. The face model has
/// no point on the top of the head or on the shoulders: those come from the silhouette. Either a
/// flag per pixel, or (as the face check makes it) read on demand from the photo: a pixel is the
/// person when its colour is clearly away from the backdrop's own. The face rules look at a few
/// thousand pixels near the head and shoulders, so the photo is never turned into a full-frame mask.
/// </summary>
public sealed class ForegroundMask
{
    /// <summary>How far a pixel must be from the backdrop's colour (RGB distance) to count as the person.</summary>
    public const int ForegroundDistance = 40;

    private readonly bool[]? _foreground;
    private readonly byte[]? _rgb;
    private readonly int _r, _g, _b;

    public ForegroundMask(bool[] foreground, int width, int height)
    {
        if (width <= 0 || height <= 0 || foreground.Length != width * height)
            throw new ArgumentException($"A {width}x{height} mask needs {width * height} flags; got {foreground.Length}.", nameof(foreground));
        _foreground = foreground;
        Width = width;
        Height = height;
    }

    /// <summary>The person as the pixels of <paramref name="rgb"/> (interleaved, row by row) further than <see cref="ForegroundDistance"/> from the backdrop colour.</summary>
    public ForegroundMask(byte[] rgb, int width, int height, int backdropR, int backdropG, int backdropB)
    {
        if (width <= 0 || height <= 0 || rgb.Length < width * height * 3)
            throw new ArgumentException($"A {width}x{height} photo needs {width * height * 3} bytes; got {rgb.Length}.", nameof(rgb));
        _rgb = rgb;
        (_r, _g, _b) = (backdropR, backdropG, backdropB);
        Width = width;
        Height = height;
    }

    /// <summary>
    /// The person in an analysed photo: what differs clearly from the mean colour of the plain backdrop
    /// patches (those far from the outline, else all sampled ones). Null when no backdrop was found.
    /// </summary>
    public static ForegroundMask? FromBackdrop(PhotoAnalysis photo)
    {
        var bg = photo.Background;
        if (!bg.Found || bg.Sample.Count == 0) return null;
        var g = photo.Patches;
        if (g.Size > RowSums.MaxRows) return FromBackdropPixelByPixel(photo);
        var patches = bg.Far.Count > 0 ? bg.Far : bg.Sample;
        long r = 0, gr = 0, bl = 0, n = 0;
        var columns = ArrayPool<ushort>.Shared.Rent(photo.Width * 3);
        try
        {
            // Side by side patches of one patch row are one run of pixels: its rows are added column by column in
            // vectors (16-bit sums), then the run's columns per channel, also in vectors; the same integer sums as pixel by pixel.
            for (var k = 0; k < patches.Count;)
            {
                var first = patches[k];
                var end = k + 1;
                while (end < patches.Count && patches[end] == patches[end - 1] + 1 && g.RowOf[patches[end]] == g.RowOf[first]) end++;
                int x0 = g.ColOf[first] * g.Size, x1 = Math.Min((g.ColOf[patches[end - 1]] + 1) * g.Size, photo.Width);
                int y0 = g.RowOf[first] * g.Size, y1 = Math.Min(y0 + g.Size, photo.Height);
                k = end;
                if (x1 <= x0 || y1 <= y0) continue;
                var length = (x1 - x0) * 3;
                var column = columns.AsSpan(0, length);
                ReadOnlySpan<byte> Row(int y) => photo.Rgb.AsSpan((y * photo.Width + x0) * 3, length);
                var y = y0;
                for (; y + 3 < y1; y += 4) RowSums.AddFourRows(Row(y), Row(y + 1), Row(y + 2), Row(y + 3), column, add: y > y0);
                for (; y + 1 < y1; y += 2) RowSums.AddRows(Row(y), Row(y + 1), column, add: y > y0);
                if (y < y1) RowSums.AddRow(Row(y), column, add: y > y0);
                var (rr, gg, bb) = RowSums.SumChannels(column, (y1 - y0) * byte.MaxValue);
                r += rr; gr += gg; bl += bb;
                n += (long)(x1 - x0) * (y1 - y0);
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(columns);
        }
        if (n == 0) return null;
        return new ForegroundMask(photo.Rgb, photo.Width, photo.Height, (int)(r / n), (int)(gr / n), (int)(bl / n));
    }

    /// <summary>The same mean, pixel by pixel, for patches too tall for 16-bit column sums.</summary>
    private static ForegroundMask? FromBackdropPixelByPixel(PhotoAnalysis photo)
    {
        var bg = photo.Background;
        var g = photo.Patches;
        long r = 0, gr = 0, bl = 0, n = 0;
        foreach (var patch in bg.Far.Count > 0 ? bg.Far : bg.Sample)
        {
            var x0 = g.ColOf[patch] * g.Size;
            var y0 = g.RowOf[patch] * g.Size;
            for (var y = y0; y < Math.Min(y0 + g.Size, photo.Height); y++)
                for (var x = x0; x < Math.Min(x0 + g.Size, photo.Width); x++)
                {
                    var i = (y * photo.Width + x) * 3;
                    r += photo.Rgb[i]; gr += photo.Rgb[i + 1]; bl += photo.Rgb[i + 2]; n++;
                }
        }
        if (n == 0) return null;
        return new ForegroundMask(photo.Rgb, photo.Width, photo.Height, (int)(r / n), (int)(gr / n), (int)(bl / n));
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>The backdrop colour a pixel is compared with; null for a mask given flag by flag.</summary>
    public (int R, int G, int B)? Backdrop => _rgb is null ? null : (_r, _g, _b);

    public bool this[int x, int y] => IsForeground(y * Width + x);

    /// <summary>How many pixels of row <paramref name="y"/> between columns <paramref name="x0"/> and <paramref name="x1"/> (inclusive, clipped) are foreground.</summary>
    public int CountInRow(int y, int x0, int x1)
    {
        x0 = Math.Max(x0, 0);
        x1 = Math.Min(x1, Width - 1);
        var n = 0;
        for (var x = x0; x <= x1; x++)
            if (IsForeground(y * Width + x)) n++;
        return n;
    }

    private bool IsForeground(int p)
    {
        if (_foreground is not null) return _foreground[p];
        var i = p * 3;
        int dr = _rgb![i] - _r, dg = _rgb[i + 1] - _g, db = _rgb[i + 2] - _b;
        return dr * dr + dg * dg + db * db > ForegroundDistance * ForegroundDistance;
    }
}
