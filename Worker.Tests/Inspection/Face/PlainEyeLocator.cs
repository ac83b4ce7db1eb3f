using System.Buffers;

using CollectionWorker.Inspection.Face;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>
/// The eye refinement as first written: pixel by pixel luma, a summed-area table through FacePixels.Window, and every
/// arc point of every centre added one by one (no vectors): the reference the fast <see cref="EyeLocator"/> is compared with.
/// </summary>
internal static class PlainEyeLocator
{
    public static FaceLandmarks Refine(FacePixels pixels, FaceLandmarks l)
    {
        var d = l.RightEye.DistanceTo(l.LeftEye);
        if (d < 20) return l;
        return l with { RightEye = Refine(pixels, l.RightEye, d), LeftEye = Refine(pixels, l.LeftEye, d) };
    }

    /// <summary>The iris centre near <paramref name="p"/>, or <paramref name="p"/> when nothing iris-like is there (a closed eye).</summary>
    public static FacePoint Refine(FacePixels pixels, FacePoint p, float d)
    {
        var box = Iris(pixels, p, d);
        return box is { } start ? Limbus(pixels, start, d) : p;
    }

    private static FacePoint? Iris(FacePixels pixels, FacePoint p, float d)
    {
        var r = Math.Max(2, (int)MathF.Round(0.07f * d));          // half side of a box inside the iris
        var flank = Math.Max(r + 2, (int)MathF.Round(0.12f * d));  // where the whites are, either side
        var fr = Math.Max(1, (int)MathF.Round(0.03f * d));
        int sx = (int)MathF.Round(0.12f * d), sy = (int)MathF.Round(0.11f * d);
        int cx = (int)MathF.Round(p.X), cy = (int)MathF.Round(p.Y);
        var window = new PlainLumaWindow(pixels, cx - sx - flank - fr, cy - sy - r, cx + sx + flank + fr, cy + sy + r);
        var best = double.MaxValue;
        var bestContrast = 0.0;
        (int X, int Y) at = (cx, cy);
        for (var y = cy - sy; y <= cy + sy; y++)
            for (var x = cx - sx; x <= cx + sx; x++)
            {
                var iris = window.Mean(x - r, y - r, x + r, y + r);
                var left = window.Mean(x - flank - fr, y - r, x - flank + fr, y + r);
                var right = window.Mean(x + flank - fr, y - r, x + flank + fr, y + r);
                var contrast = iris - Math.Min(left, right);
                // One luma level per 1% of d away from the detected point.
                var score = contrast + 100 * Math.Sqrt((x - p.X) * (x - p.X) + (y - p.Y) * (y - p.Y)) / d;
                if (score < best) (best, bestContrast, at) = (score, contrast, (x, y));
            }
        return bestContrast < 0 ? new FacePoint(at.X, at.Y) : null;
    }

    private static FacePoint Limbus(FacePixels pixels, FacePoint start, float d)
    {
        var reach = Math.Max(2, (int)MathF.Round(0.06f * d));
        var delta = Math.Max(1.5f, 0.02f * d);
        // The arcs' offsets from the centre for every radius, worked out once instead of for every centre.
        Span<float> cos = stackalloc float[ArcCount];
        Span<float> sin = stackalloc float[ArcCount];
        var k = 0;
        for (var a = -45; a <= 45; a += 5)
            for (var side = 0; side <= 180; side += 180)
            {
                var t = (a + side) * MathF.PI / 180;
                (cos[k], sin[k]) = (MathF.Cos(t), MathF.Sin(t));
                k++;
            }
        var radiusCount = 0;
        for (var rho = 0.075f * d; rho <= 0.125f * d; rho += 1) radiusCount++;
        var points = radiusCount * ArcCount;
        Span<float> offsets = points * 4 <= 1024 ? stackalloc float[points * 4] : new float[points * 4]; // inner x, inner y, outer x, outer y
        var i = 0;
        for (var rho = 0.075f * d; rho <= 0.125f * d; rho += 1, i++)
            for (var j = 0; j < ArcCount; j++)
            {
                var o = (i * ArcCount + j) * 4;
                offsets[o] = (rho - delta) * cos[j];
                offsets[o + 1] = (rho - delta) * sin[j];
                offsets[o + 2] = (rho + delta) * cos[j];
                offsets[o + 3] = (rho + delta) * sin[j];
            }

        // The luma of every pixel the arcs can reach, read once (clamped at the frame, as FacePixels.Luma reads it).
        var margin = (int)MathF.Ceiling(0.125f * d + delta) + 2;
        int x0 = (int)start.X - reach - margin, y0 = (int)start.Y - reach - margin;
        int w = 2 * (reach + margin) + 2, h = w;
        // The centres tried: columns xFirst.. and rows yFirst.. while within reach of the start (as float comparisons).
        int xFirst = (int)start.X - reach, yFirst = (int)start.Y - reach, columns = 0, rows = 0;
        while (xFirst + columns <= start.X + reach) columns++;
        while (yFirst + rows <= start.Y + reach) rows++;

        var pool = ArrayPool<int>.Shared;
        var luma = pool.Rent(w * h);
        var contrast = pool.Rent(columns * radiusCount);
        // Where each arc point lands from each centre column and row, rounded once per column and row instead of once per
        // centre: the same (int)MathF.Round(x + offset) as before, so the same pixels. Row parts are pre-multiplied by w.
        var innerX = pool.Rent(columns * points);
        var outerX = pool.Rent(columns * points);
        var innerY = pool.Rent(rows * points);
        var outerY = pool.Rent(rows * points);
        try
        {
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++)
                    luma[y * w + x] = pixels.Luma(x0 + x, y0 + y);
            for (var c = 0; c < columns; c++)
                for (var p = 0; p < points; p++)
                {
                    var x = xFirst + c;
                    innerX[c * points + p] = (int)MathF.Round(x + offsets[p * 4]) - x0;
                    outerX[c * points + p] = (int)MathF.Round(x + offsets[p * 4 + 2]) - x0;
                }
            for (var r = 0; r < rows; r++)
                for (var p = 0; p < points; p++)
                {
                    var y = yFirst + r;
                    innerY[r * points + p] = ((int)MathF.Round(y + offsets[p * 4 + 1]) - y0) * w;
                    outerY[r * points + p] = ((int)MathF.Round(y + offsets[p * 4 + 3]) - y0) * w;
                }

            var best = double.MinValue;
            var at = start;
            for (var r = 0; r < rows; r++)
            {
                // outer - inner for every centre column and radius of the row, then the best in the order c, radius.
                for (var c = 0; c < columns; c++)
                    for (var radius = 0; radius < radiusCount; radius++)
                    {
                        var first = radius * ArcCount;
                        var iy = innerY.AsSpan(r * points + first, ArcCount);
                        var oy = outerY.AsSpan(r * points + first, ArcCount);
                        var ix = innerX.AsSpan(c * points + first, ArcCount);
                        var ox = outerX.AsSpan(c * points + first, ArcCount);
                        int inner = 0, outer = 0;
                        for (var j = 0; j < ArcCount; j++)
                        {
                            inner += luma[iy[j] + ix[j]];
                            outer += luma[oy[j] + ox[j]];
                        }
                        contrast[c * radiusCount + radius] = outer - inner;
                    }
                for (var c = 0; c < columns; c++)
                    for (var radius = 0; radius < radiusCount; radius++)
                    {
                        var v = contrast[c * radiusCount + radius];
                        if (v > best) (best, at) = (v, new FacePoint(xFirst + c, yFirst + r));
                    }
            }
            return at;
        }
        finally
        {
            pool.Return(luma);
            pool.Return(contrast);
            pool.Return(innerX);
            pool.Return(outerX);
            pool.Return(innerY);
            pool.Return(outerY);
        }
    }

    // 19 angles (-45° to 45° in steps of 5°) on each side of the iris.
    private const int ArcCount = 38;

    /// <summary>The summed-area table of luma as first written: pixel by pixel, clamped at the frame.</summary>
    internal sealed class PlainLumaWindow
    {
        private readonly long[] _sum;
        private readonly int _x0, _y0, _w, _h;

        public PlainLumaWindow(FacePixels pixels, int x0, int y0, int x1, int y1)
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
                    row += pixels.Luma(x0 + x, y0 + y);
                    _sum[(y + 1) * (_w + 1) + x + 1] = _sum[y * (_w + 1) + x + 1] + row;
                }
            }
        }

        public double Mean(int x0, int y0, int x1, int y1)
        {
            x0 = Math.Clamp(x0 - _x0, 0, _w - 1); x1 = Math.Clamp(x1 - _x0, 0, _w - 1);
            y0 = Math.Clamp(y0 - _y0, 0, _h - 1); y1 = Math.Clamp(y1 - _y0, 0, _h - 1);
            if (x1 < x0 || y1 < y0) return 0;
            var s = _sum[(y1 + 1) * (_w + 1) + x1 + 1] - _sum[y0 * (_w + 1) + x1 + 1] - _sum[(y1 + 1) * (_w + 1) + x0] + _sum[y0 * (_w + 1) + x0];
            return s / (double)((x1 - x0 + 1) * (y1 - y0 + 1));
        }
    }
}
