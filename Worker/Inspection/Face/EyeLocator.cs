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
            foreach (var side in new[] { 0, 180 })
            {
                var t = (a + side) * MathF.PI / 180;
                (cos[k], sin[k]) = (MathF.Cos(t), MathF.Sin(t));
                k++;
            }
        var radii = new List<float>();
        for (var rho = 0.075f * d; rho <= 0.125f * d; rho += 1) radii.Add(rho);
        var offsets = new float[radii.Count * ArcCount * 4]; // inner x, inner y, outer x, outer y
        for (var i = 0; i < radii.Count; i++)
            for (var j = 0; j < ArcCount; j++)
            {
                var o = (i * ArcCount + j) * 4;
                offsets[o] = (radii[i] - delta) * cos[j];
                offsets[o + 1] = (radii[i] - delta) * sin[j];
                offsets[o + 2] = (radii[i] + delta) * cos[j];
                offsets[o + 3] = (radii[i] + delta) * sin[j];
            }

        // The luma of every pixel the arcs can reach, read once (clamped at the frame, as FacePixels.Luma reads it).
        var margin = (int)MathF.Ceiling(0.125f * d + delta) + 2;
        int x0 = (int)start.X - reach - margin, y0 = (int)start.Y - reach - margin;
        int w = 2 * (reach + margin) + 2, h = w;
        var luma = new int[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                luma[y * w + x] = pixels.Luma(x0 + x, y0 + y);

        var best = double.MinValue;
        var at = start;
        for (var y = (int)start.Y - reach; y <= start.Y + reach; y++)
            for (var x = (int)start.X - reach; x <= start.X + reach; x++)
                for (var i = 0; i < radii.Count; i++)
                {
                    int inner = 0, outer = 0;
                    for (int j = 0, o = i * ArcCount * 4; j < ArcCount; j++, o += 4)
                    {
                        inner += luma[((int)MathF.Round(y + offsets[o + 1]) - y0) * w + (int)MathF.Round(x + offsets[o]) - x0];
                        outer += luma[((int)MathF.Round(y + offsets[o + 3]) - y0) * w + (int)MathF.Round(x + offsets[o + 2]) - x0];
                    }
                    if (outer - inner > best) (best, at) = (outer - inner, new FacePoint(x, y));
                }
        return at;
    }

    // 19 angles (-45° to 45° in steps of 5°) on each side of the iris.
    private const int ArcCount = 38;
}
