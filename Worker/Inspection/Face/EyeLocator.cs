using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Moves each BlazeFace eye point onto the iris. BlazeFace pulls its keypoints towards an average
/// face (on the real calibration photos up to 12 px from the pupil). Two steps, both at the face's
/// own scale (the eye distance d) and by contrast rather than fixed levels, so any head size, skin
/// tone and iris colour works:
/// <list type="number">
/// <item>the darkest iris-sized box near the point with the brighter white of the eye on both sides
/// (a small pull towards the BlazeFace point keeps it off the lashes at the eye's corners);</item>
/// <item>the circle whose left and right arcs (the limbus; lids cover the top and bottom) are darker
/// inside than outside: a catchlight or a lid's shadow does not move it.</item>
/// </list>
/// On the calibration photos: median 1.5 px from the hand-placed pupils, 33 of 34 eyes within 6 px.
/// </summary>
public static class EyeLocator
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
        var window = pixels.Window(cx - sx - flank - fr, cy - sy - r, cx + sx + flank + fr, cy + sy + r);
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
        // The arc points' offsets from the centre, one plane each: inner x, inner y, outer x, outer y.
        Span<float> offsets = points * 4 <= 1024 ? stackalloc float[points * 4] : new float[points * 4];
        Span<float> innerDx = offsets[..points], innerDy = offsets.Slice(points, points), outerDx = offsets.Slice(2 * points, points), outerDy = offsets.Slice(3 * points, points);
        var i = 0;
        for (var rho = 0.075f * d; rho <= 0.125f * d; rho += 1, i++)
            for (var j = 0; j < ArcCount; j++)
            {
                var o = i * ArcCount + j;
                innerDx[o] = (rho - delta) * cos[j];
                innerDy[o] = (rho - delta) * sin[j];
                outerDx[o] = (rho + delta) * cos[j];
                outerDy[o] = (rho + delta) * sin[j];
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
        // Padded: a vector of sums reads up to a vector's width past the last centre column.
        var luma = pool.Rent(w * h + Vector<int>.Count);
        var contrast = pool.Rent(columns * radiusCount);
        // Where each arc point lands from each centre column and row, rounded once per column and row instead of once per
        // centre: the same (int)MathF.Round(x + offset) as before, so the same pixels. Row parts are pre-multiplied by w.
        var innerX = pool.Rent(columns * points);
        var outerX = pool.Rent(columns * points);
        var innerY = pool.Rent(rows * points);
        var outerY = pool.Rent(rows * points);
        try
        {
            Span<byte> row = w <= 1024 ? stackalloc byte[w] : new byte[w];
            for (var y = 0; y < h; y++)
            {
                pixels.LumaRow(x0, y0 + y, row);
                for (var x = 0; x < w; x++) luma[y * w + x] = row[x];
            }
            for (var c = 0; c < columns; c++)
            {
                var x = xFirst + c;
                Landing(x, innerDx, -x0, 1, innerX.AsSpan(c * points, points));
                Landing(x, outerDx, -x0, 1, outerX.AsSpan(c * points, points));
            }
            for (var r = 0; r < rows; r++)
            {
                var y = yFirst + r;
                Landing(y, innerDy, -y0, w, innerY.AsSpan(r * points, points));
                Landing(y, outerDy, -y0, w, outerY.AsSpan(r * points, points));
            }

            // Where every arc point moves one pixel right as the centre does (always, but for a rounding tie of
            // x + offset), the centres of a row read runs of consecutive pixels: their sums are added in vectors.
            var byVectors = Vector.IsHardwareAccelerated && StepsWithColumn(innerX, columns, points) && StepsWithColumn(outerX, columns, points);
            var best = double.MinValue;
            var at = start;
            for (var r = 0; r < rows; r++)
            {
                // outer - inner for every centre column and radius of the row, then the best in the order c, radius.
                if (byVectors)
                    ContrastByVectors(luma, innerY.AsSpan(r * points, points), outerY.AsSpan(r * points, points), innerX, outerX, columns, radiusCount, contrast);
                else
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

    /// <summary>
    /// ((int)MathF.Round(<paramref name="at"/> + offset) + <paramref name="shift"/>) * <paramref name="scale"/> for every offset: where each
    /// arc point lands from one centre column or row. Vector.Round rounds half to even as MathF.Round does, after the same float addition.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Landing(int at, ReadOnlySpan<float> offsets, int shift, int scale, Span<int> landing)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var centre = new Vector<float>(at);
            for (; i <= offsets.Length - Vector<float>.Count; i += Vector<float>.Count)
                ((Vector.ConvertToInt32(Vector.Round(centre + new Vector<float>(offsets[i..]))) + new Vector<int>(shift)) * scale).CopyTo(landing[i..]);
        }
        for (; i < offsets.Length; i++) landing[i] = ((int)MathF.Round(at + offsets[i]) + shift) * scale;
    }

    /// <summary>Whether every point's column moves by one with the centre's (x + offset rounds alike from every column).</summary>
    private static bool StepsWithColumn(int[] x, int columns, int points)
    {
        for (var c = 1; c < columns; c++)
            for (var p = 0; p < points; p++)
                if (x[c * points + p] != x[p] + c) return false;
        return true;
    }

    /// <summary>
    /// outer - inner of every centre column and radius of one row, <see cref="Vector{T}.Count"/> neighbouring centres at a
    /// time: centre c reads pixel row part + column part of centre 0 + c, so lanes are consecutive pixels. Integer sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ContrastByVectors(int[] luma, ReadOnlySpan<int> innerY, ReadOnlySpan<int> outerY, int[] innerX, int[] outerX,
        int columns, int radiusCount, int[] contrast)
    {
        ref var pixels = ref MemoryMarshal.GetArrayDataReference(luma);
        Span<int> lanes = stackalloc int[Vector<int>.Count];
        for (var radius = 0; radius < radiusCount; radius++)
            for (var c0 = 0; c0 < columns; c0 += Vector<int>.Count)
            {
                Vector<int> inner = Vector<int>.Zero, outer = Vector<int>.Zero;
                for (int j = 0, p = radius * ArcCount; j < ArcCount; j++, p++)
                {
                    inner += Vector.LoadUnsafe(ref pixels, (nuint)(innerY[p] + innerX[p] + c0));
                    outer += Vector.LoadUnsafe(ref pixels, (nuint)(outerY[p] + outerX[p] + c0));
                }
                (outer - inner).CopyTo(lanes);
                for (var k = 0; k < Vector<int>.Count && c0 + k < columns; k++) contrast[(c0 + k) * radiusCount + radius] = lanes[k];
            }
    }

    // 19 angles (-45° to 45° in steps of 5°) on each side of the iris.
    private const int ArcCount = 38;
}
