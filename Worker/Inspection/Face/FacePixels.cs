namespace CollectionWorker.Inspection.Face;

/// <summary>
/// The decoded photo as the face flags read it: luma and CIELAB colour of single pixels (clamped
/// to the frame), and box means of luma over a local window through a summed-area table.
/// </summary>
public sealed class FacePixels(byte[] rgb, int width, int height)
{
    public int Width { get; } = width;
    public int Height { get; } = height;

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
        for (var y = 0; y < _h; y++)
        {
            long row = 0;
            for (var x = 0; x < _w; x++)
            {
                row += Math.Min(cap, pixels.Luma(x0 + x, y0 + y));
                _sum[(y + 1) * (_w + 1) + x + 1] = _sum[y * (_w + 1) + x + 1] + row;
            }
        }
    }

    /// <summary>Mean luma of the box [x0, x1] x [y0, y1] (inclusive), clipped to the window.</summary>
    public double Mean(int x0, int y0, int x1, int y1)
    {
        x0 = Math.Clamp(x0 - _x0, 0, _w - 1); x1 = Math.Clamp(x1 - _x0, 0, _w - 1);
        y0 = Math.Clamp(y0 - _y0, 0, _h - 1); y1 = Math.Clamp(y1 - _y0, 0, _h - 1);
        if (x1 < x0 || y1 < y0) return 0;
        var s = _sum[(y1 + 1) * (_w + 1) + x1 + 1] - _sum[y0 * (_w + 1) + x1 + 1] - _sum[(y1 + 1) * (_w + 1) + x0] + _sum[y0 * (_w + 1) + x0];
        return s / (double)((x1 - x0 + 1) * (y1 - y0 + 1));
    }
}
