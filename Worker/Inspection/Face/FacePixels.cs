using System.Buffers;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// The decoded photo as the face flags read it: luma and CIELAB colour of single pixels (clamped
/// to the frame), the same for a row or a rectangle at a time, and box means of luma over a local
/// window through a summed-area table.
/// </summary>
public sealed class FacePixels(byte[] rgb, int width, int height)
{
    public int Width { get; } = width;
    public int Height { get; } = height;

    // Linear light of each 8-bit value: the entry ColorSpace.ToLab takes for it (found by its own Linearise), so a
    // rectangle's colours are converted with one table read per channel and the vector rest of the conversion.
    private static readonly float[] LinearOfByte = BuildLinearOfByte();

    private static float[] BuildLinearOfByte()
    {
        var table = new float[256];
        for (var v = 0; v < table.Length; v++) table[v] = v;
        ColorSpace.Linearise(table, new int[table.Length]);
        return table;
    }

    public int Luma(int x, int y)
    {
        var i = Index(x, y);
        return (77 * rgb[i] + 150 * rgb[i + 1] + 29 * rgb[i + 2] + 128) >> 8;
    }

    public Lab Lab(int x, int y)
    {
        var i = Index(x, y);
        return ColorSpace.ToLab(rgb[i], rgb[i + 1], rgb[i + 2]);
    }

    private int Index(int x, int y) => (Math.Clamp(y, 0, Height - 1) * Width + Math.Clamp(x, 0, Width - 1)) * 3;

    /// <summary>Luma of the pixels (<paramref name="x0"/> + i, <paramref name="y"/>), clamped at the frame: <see cref="Luma"/> of each.</summary>
    public void LumaRow(int x0, int y, Span<byte> luma)
    {
        var row = Math.Clamp(y, 0, Height - 1) * Width;
        var i = 0;
        // Left of the frame, inside it, right of it: only the two ends clamp.
        for (; i < luma.Length && x0 + i < 0; i++) luma[i] = (byte)Luma(x0 + i, y);
        var inside = Math.Min(luma.Length, Width - x0);
        var p = (row + x0 + i) * 3;
        for (; i < inside; i++, p += 3) luma[i] = (byte)((77 * rgb[p] + 150 * rgb[p + 1] + 29 * rgb[p + 2] + 128) >> 8);
        for (; i < luma.Length; i++) luma[i] = (byte)Luma(x0 + i, y);
    }

    /// <summary>
    /// CIELAB of the <paramref name="w"/> x <paramref name="h"/> pixels from (<paramref name="x0"/>, <paramref name="y0"/>), row by row,
    /// clamped at the frame: <see cref="Lab"/> of each, bit for bit (the same table entries, and ColorSpace.LinearToLab does the
    /// single conversion's float operations in its order), a vector of pixels at a time.
    /// </summary>
    public void LabRect(int x0, int y0, int w, int h, Span<Lab> lab)
    {
        var n = w * h;
        if (n <= 0) return;
        if (lab.Length < n) throw new ArgumentException($"A {w}x{h} rectangle needs {n} colours; got {lab.Length}.", nameof(lab));
        var floats = ArrayPool<float>.Shared.Rent(3 * n);
        var index = ArrayPool<int>.Shared.Rent(3 * n);
        try
        {
            Span<float> r = floats.AsSpan(0, n), g = floats.AsSpan(n, n), b = floats.AsSpan(2 * n, n);
            var linear = LinearOfByte;
            // The columns inside the frame read straight along the row; only those left or right of it clamp.
            int inFrom = Math.Clamp(-x0, 0, w), inTo = Math.Clamp(Width - x0, inFrom, w);
            for (int y = 0, k = 0; y < h; y++)
            {
                var x = 0;
                for (; x < inFrom; x++, k++)
                {
                    var i = Index(x0 + x, y0 + y);
                    (r[k], g[k], b[k]) = (linear[rgb[i]], linear[rgb[i + 1]], linear[rgb[i + 2]]);
                }
                var row = rgb.AsSpan((Math.Clamp(y0 + y, 0, Height - 1) * Width + x0 + inFrom) * 3, (inTo - inFrom) * 3);
                for (var i = 0; i + 2 < row.Length; i += 3, x++, k++)
                    (r[k], g[k], b[k]) = (linear[row[i]], linear[row[i + 1]], linear[row[i + 2]]);
                for (; x < w; x++, k++)
                {
                    var i = Index(x0 + x, y0 + y);
                    (r[k], g[k], b[k]) = (linear[rgb[i]], linear[rgb[i + 1]], linear[rgb[i + 2]]);
                }
            }
            ColorSpace.LinearToLab(r, g, b, index.AsSpan(0, 3 * n), lab[..n]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
            ArrayPool<int>.Shared.Return(index);
        }
    }

    /// <summary>CIELAB of single pixels, as <see cref="LabRect"/> converts them: the <paramref name="x"/>, <paramref name="y"/> pairs (clamped at the frame).</summary>
    public void LabAt(ReadOnlySpan<int> x, ReadOnlySpan<int> y, Span<Lab> lab)
    {
        var n = x.Length;
        if (n == 0) return;
        if (y.Length != n || lab.Length < n) throw new ArgumentException("As many rows and colours as columns are needed.");
        var floats = ArrayPool<float>.Shared.Rent(3 * n);
        var index = ArrayPool<int>.Shared.Rent(3 * n);
        try
        {
            Span<float> r = floats.AsSpan(0, n), g = floats.AsSpan(n, n), b = floats.AsSpan(2 * n, n);
            var linear = LinearOfByte;
            for (var k = 0; k < n; k++)
            {
                var i = Index(x[k], y[k]);
                (r[k], g[k], b[k]) = (linear[rgb[i]], linear[rgb[i + 1]], linear[rgb[i + 2]]);
            }
            ColorSpace.LinearToLab(r, g, b, index.AsSpan(0, 3 * n), lab[..n]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(floats);
            ArrayPool<int>.Shared.Return(index);
        }
    }

    /// <summary>A summed-area table of luma over a window (clamped at the frame), for box means anywhere inside it.</summary>
    public LumaWindow Window(int x0, int y0, int x1, int y1, int cap = 255) => new(this, x0, y0, x1, y1, cap);
}

public sealed class LumaWindow
{
    private readonly long[] _sum;
    private readonly int _x0, _y0, _w, _h;

    public LumaWindow(FacePixels pixels, int x0, int y0, int x1, int y1, int cap = 255)
    {
        (_x0, _y0) = (x0, y0);
        _w = Math.Max(1, x1 - x0 + 1);
        _h = Math.Max(1, y1 - y0 + 1);
        _sum = new long[(_w + 1) * (_h + 1)];
        // A row of lumas at a time (FacePixels.LumaRow, clamped at the frame as Luma is).
        var luma = ArrayPool<byte>.Shared.Rent(_w);
        try
        {
            for (var y = 0; y < _h; y++)
            {
                pixels.LumaRow(x0, y0 + y, luma.AsSpan(0, _w));
                long row = 0;
                for (var x = 0; x < _w; x++)
                {
                    row += Math.Min(cap, (int)luma[x]);
                    _sum[(y + 1) * (_w + 1) + x + 1] = _sum[y * (_w + 1) + x + 1] + row;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(luma);
        }
    }

    /// <summary>Mean luma of the box [x0, x1] x [y0, y1] (inclusive), clipped to the window.</summary>
    public double Mean(int x0, int y0, int x1, int y1)
    {
        // A box inside the window (as every box the iris search asks for is) needs no clipping: the same sums without the clamps.
        (x0, y0, x1, y1) = (x0 - _x0, y0 - _y0, x1 - _x0, y1 - _y0);
        if ((uint)x0 <= (uint)x1 && (uint)x1 < (uint)_w && (uint)y0 <= (uint)y1 && (uint)y1 < (uint)_h)
        {
            int top = y0 * (_w + 1), bottom = (y1 + 1) * (_w + 1);
            var inside = _sum[bottom + x1 + 1] - _sum[top + x1 + 1] - _sum[bottom + x0] + _sum[top + x0];
            return inside / (double)((x1 - x0 + 1) * (y1 - y0 + 1));
        }
        x0 = Math.Clamp(x0, 0, _w - 1); x1 = Math.Clamp(x1, 0, _w - 1);
        y0 = Math.Clamp(y0, 0, _h - 1); y1 = Math.Clamp(y1, 0, _h - 1);
        if (x1 < x0 || y1 < y0) return 0;
        var s = _sum[(y1 + 1) * (_w + 1) + x1 + 1] - _sum[y0 * (_w + 1) + x1 + 1] - _sum[(y1 + 1) * (_w + 1) + x0] + _sum[y0 * (_w + 1) + x0];
        return s / (double)((x1 - x0 + 1) * (y1 - y0 + 1));
    }
}
