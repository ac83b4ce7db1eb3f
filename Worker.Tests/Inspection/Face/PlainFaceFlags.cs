using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Face;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>
/// The face flags as first written, pixel by pixel (each pixel converted to CIELAB or luma where it is read, lists and
/// sets as the definitions say them): the reference the fast <see cref="FaceFlagMeasurements"/> is compared with.
/// </summary>
internal static class PlainFaceFlags
{
    /// <param name="detected">BlazeFace's own points: the frame measurements use them, because a dark frame
    /// ring can draw the refined eye points (<paramref name="l"/>) onto itself.</param>
    public static FaceFlagMeasurements? Measure(FacePixels px, FaceLandmarks l, FaceLandmarks detected, Lab backdrop)
    {
        var d = l.RightEye.DistanceTo(l.LeftEye);
        if (d < 20) return null; // too small a face to say anything about its eyes

        var dDetected = Math.Max(20, detected.RightEye.DistanceTo(detected.LeftEye));
        var (skin, skinLuma) = Cheeks(px, l, d);
        return new FaceFlagMeasurements(
            MeasureGlassesArc(px, detected, dDetected, skinLuma), MeasureGlassesBridge(px, detected, dDetected, skinLuma),
            Math.Min(MeasureEyeOpening(px, l.RightEye, d, skin), MeasureEyeOpening(px, l.LeftEye, d, skin)),
            MeasureHairCover(px, l, d, skinLuma), MeasureEarCover(px, l, d, skinLuma, backdrop), MeasureTeeth(px, l, d, skin), MeasureLipGap(px, l, d), skin);
    }

    /// <summary>The cheeks below each eye: the nearest-rank medians of L*, a* and b* of a full sort, and the middle of the sorted lumas.</summary>
    private static (Lab Skin, int Luma) Cheeks(FacePixels px, FaceLandmarks l, float d)
    {
        List<float> L = [], A = [], B = [];
        var lumas = new List<int>();
        foreach (var e in new[] { l.RightEye, l.LeftEye })
            for (var y = (int)(e.Y + 0.5 * d); y < e.Y + 0.65 * d; y++)
                for (var x = (int)(e.X - 0.12 * d); x < e.X + 0.12 * d; x++)
                {
                    var c = px.Lab(x, y);
                    L.Add(c.L);
                    A.Add(c.A);
                    B.Add(c.B);
                    lumas.Add(px.Luma(x, y));
                }
        L.Sort();
        A.Sort();
        B.Sort();
        lumas.Sort();
        var rank = (int)Math.Ceiling(0.5 * L.Count) - 1;
        return (new Lab(L[rank], A[rank], B[rank]), lumas[lumas.Count / 2]);
    }

    /// <summary>Share of the columns under each eye (the smaller of the two) where a dark lower rim dips well below the skin.</summary>
    private static double MeasureGlassesArc(FacePixels px, FaceLandmarks l, float d, int skin)
    {
        double share = 1;
        foreach (var e in new[] { l.RightEye, l.LeftEye })
        {
            int columns = 0, dipped = 0;
            for (var x = (int)(e.X - 0.15 * d); x <= e.X + 0.15 * d; x++)
            {
                columns++;
                var min = 255;
                for (var y = (int)(e.Y + 0.12 * d); y <= e.Y + 0.45 * d; y++) min = Math.Min(min, px.Luma(x, y));
                if (min < skin * 0.55) dipped++;
            }
            share = Math.Min(share, dipped / (double)columns);
        }
        return share;
    }

    /// <summary>
    /// Share of the columns over the bridge of the nose (between the eyes, at eye height) crossed by a
    /// thin dark line: a frame's bridge. Bare skin there is smooth on every face; shadows under the eyes
    /// (which a lower-rim test alone takes for frames on dark skin) never reach it.
    /// </summary>
    private static double MeasureGlassesBridge(FacePixels px, FaceLandmarks l, float d, int skin)
    {
        var mid = FacePoint.Midpoint(l.RightEye, l.LeftEye);
        int columns = 0, crossed = 0;
        var rows = 0;
        for (var y = (int)(mid.Y - 0.2 * d); y <= mid.Y + 0.12 * d; y++) rows++;
        Span<int> profile = stackalloc int[rows];
        Span<int> sorted = stackalloc int[rows];
        for (var x = (int)(mid.X - 0.06 * d); x <= mid.X + 0.06 * d; x++)
        {
            columns++;
            var k = 0;
            for (var y = (int)(mid.Y - 0.2 * d); y <= mid.Y + 0.12 * d; y++) profile[k++] = px.Luma(x, y);
            // A line: a dip well below the column's own level, and below the skin, narrower than a fifth of d.
            profile.CopyTo(sorted);
            sorted.Sort();
            var level = sorted[sorted.Length / 2];
            var run = 0;
            var longest = 0;
            foreach (var v in profile) longest = Math.Max(longest, run = v < Math.Min(level, skin) * 0.6 ? run + 1 : 0);
            if (longest >= 2 && longest <= 0.2 * d) crossed++;
        }
        return crossed / (double)columns;
    }

    /// <summary>
    /// The white of the eye around the iris: the share of a box around the eye (0.4 d wide, 0.14 d high)
    /// that is far less coloured than the skin (chroma under 0.35 of the cheeks') without being dark
    /// (L* above the cheeks' less 20). The whites are often shaded and no brighter than the skin, but
    /// they are always less coloured; a shut lid is skin with a lash line and has none of them.
    /// </summary>
    private static double MeasureEyeOpening(FacePixels px, FacePoint e, float d, Lab skin)
    {
        int box = 0, white = 0;
        for (var y = (int)(e.Y - 0.07 * d); y <= e.Y + 0.07 * d; y++)
            for (var x = (int)(e.X - 0.2 * d); x <= e.X + 0.2 * d; x++, box++)
            {
                var c = px.Lab(x, y);
                if (c.Chroma < skin.Chroma * 0.35 && c.L > skin.L - 20 && c.L > 25) white++;
            }
        return white / (double)box;
    }

    /// <summary>Share of hair-dark pixels from the brow down to the eye (the larger of the two eyes).</summary>
    private static double MeasureHairCover(FacePixels px, FaceLandmarks l, float d, int skin)
    {
        double hair = 0;
        foreach (var e in new[] { l.RightEye, l.LeftEye })
        {
            int box = 0, dark = 0;
            for (var y = (int)(e.Y - 0.35 * d); y <= e.Y + 0.05 * d; y++)
                for (var x = (int)(e.X - 0.2 * d); x <= e.X + 0.2 * d; x++, box++)
                    if (px.Luma(x, y) < skin * 0.35) dark++;
            hair = Math.Max(hair, dark / (double)box);
        }
        return hair;
    }

    /// <summary>
    /// Beside and below each ear (outwards from the tragion point, from the lobe down to the jaw): the
    /// share of hair-dark pixels (darker than half the skin's luma). An ear with short hair above it, or
    /// a small ear, shows skin and backdrop there; hair falling over the ears fills it. The larger side.
    /// </summary>
    private static double MeasureEarCover(FacePixels px, FaceLandmarks l, float d, int skin, Lab backdrop)
    {
        double cover = 0;
        foreach (var (t, side) in new[] { (l.RightEarTragion, -1), (l.LeftEarTragion, 1) })
        {
            int box = 0, hair = 0;
            for (var y = (int)(t.Y + 0.2 * d); y <= t.Y + 0.6 * d; y++)
                for (var k = 0.05 * d; k <= 0.4 * d; k += 1, box++)
                {
                    var x = (int)(t.X + side * k);
                    if (px.Luma(x, y) < skin * 0.5 && Lab.DeltaE76(px.Lab(x, y), backdrop) > 15) hair++;
                }
            cover = Math.Max(cover, hair / (double)box);
        }
        return cover;
    }

    /// <summary>
    /// Teeth between the lips: pixels on the lip line (within a tenth of d of the mouth point, across
    /// the width of a smile) that are far less coloured than skin and lips (chroma under 0.45 of the
    /// cheeks') yet not dark (L* above 0.7 of the cheeks' and above 45): enamel, even in the mouth's
    /// shadow; lips, skin and the dark of an open mouth fail one of the two. The largest connected block that is
    /// lighter than what surrounds it, per d².
    /// </summary>
    private static double MeasureTeeth(FacePixels px, FaceLandmarks l, float d, Lab skin)
    {
        var m = l.Mouth;
        int x0 = (int)(m.X - 0.45 * d), y0 = (int)(m.Y - 0.1 * d);
        int w = (int)(0.9 * d) + 1, h = (int)(0.2 * d) + 1;
        var minL = Math.Max(45, skin.L * 0.7);
        var lightness = new float[w * h];
        var mask = new bool[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var c = px.Lab(x0 + x, y0 + y);
                lightness[y * w + x] = c.L;
                mask[y * w + x] = c.L > minL && c.Chroma < skin.Chroma * 0.45;
            }
        // Teeth are one block between the lips, lighter than the lips and mouth around them; grey stubble
        // is specks on skin no darker than itself.
        var largest = 0;
        foreach (var blob in Blobs(mask, w, h))
            if (blob.Count > largest && RingContrast(blob, lightness, mask, w, h) > TeethContrast) largest = blob.Count;
        return largest / (d * d);
    }

    /// <summary>
    /// Parted lips: the height of the grey band between the lips, per d. In each column across the middle of the
    /// mouth (±0.15 d of the mouth point) the lip line is the darkest row (3 px wide) from 0.2 d above to 0.1 d
    /// below the mouth point; the band is the rows within 0.06 d of it whose chroma is under 0.6 of the lips'
    /// (the 75th percentile of each lip, 0.02–0.12 d above and below the line; the paler of the two). Closed
    /// lips meet in a line that is shaded lip, still lip-coloured (0.8–0.95 of the lips' chroma on the real
    /// faces); between parted lips the mouth's dark and a sliver of teeth are grey (0.2–0.5). The median
    /// column, so a corner shadow or a lip highlight does not decide. Relative to the lips' own chroma, so
    /// pale lips, a desaturated photo or dark skin do not move it.
    /// </summary>
    private static double MeasureLipGap(FacePixels px, FaceLandmarks l, float d)
    {
        var m = l.Mouth;
        int reach = (int)(0.06 * d), lipNear = (int)Math.Max(2, 0.02 * d), lipFar = (int)(0.12 * d);
                var bands = new List<double>();
        for (var x = (int)(m.X - 0.15 * d); x <= m.X + 0.15 * d; x++)
        {
            int top = (int)(m.Y - 0.2 * d), bottom = (int)(m.Y + 0.1 * d), line = top;
            var darkest = float.MaxValue;
            for (var y = top; y <= bottom; y++)
            {
                var lightness = (px.Lab(x - 1, y).L + px.Lab(x, y).L + px.Lab(x + 1, y).L) / 3;
                if (lightness < darkest) (darkest, line) = (lightness, y);
            }
            var upper = new List<float>();
            var lower = new List<float>();
            for (var k = lipNear; k <= lipFar; k++)
            {
                upper.Add(Chroma3(px, x, line - k));
                lower.Add(Chroma3(px, x, line + k));
            }
            upper.Sort();
            lower.Sort();
            var lips = Math.Min(upper[upper.Count * 3 / 4], lower[lower.Count * 3 / 4]);
            var band = 0;
            for (var y = line - reach; y <= line + reach; y++)
                if (Chroma3(px, x, y) < LipGapChroma * lips) band++;
            bands.Add(band / d);
        }
        bands.Sort();
        return bands[bands.Count / 2];
    }

    /// <summary>Share of the lips' chroma under which a pixel on the lip line is the gap between them, not lip.</summary>
    private const double LipGapChroma = 0.6;

    /// <summary>Chroma averaged over three pixels of a row, against JPEG's colour noise.</summary>
    private static float Chroma3(FacePixels px, int x, int y) => (px.Lab(x - 1, y).Chroma + px.Lab(x, y).Chroma + px.Lab(x + 1, y).Chroma) / 3;

    /// <summary>
    /// L* by which teeth are lighter than the pixels around them (lips, the mouth's dark): 5–20 on the real
    /// smiles; grey stubble on skin measures under 2.
    /// </summary>
    private const double TeethContrast = 3.5;

    /// <summary>Mean L* of the blob minus the mean L* of the pixels within 2 px around it.</summary>
    private static double RingContrast(List<int> blob, float[] lightness, bool[] mask, int w, int h)
    {
        var inBlob = new HashSet<int>(blob);
        var ring = new HashSet<int>();
        foreach (var p in blob)
        {
            int x = p % w, y = p / w;
            for (var dy = -2; dy <= 2; dy++)
                for (var dx = -2; dx <= 2; dx++)
                {
                    int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
                    var q = ny * w + nx;
                    if (!inBlob.Contains(q)) ring.Add(q);
                }
        }
        if (ring.Count == 0) return 0;
        return blob.Average(p => lightness[p]) - ring.Average(q => lightness[q]);
    }

    private static IEnumerable<List<int>> Blobs(bool[] mask, int w, int h)
    {
        var seen = new bool[mask.Length];
        var stack = new Stack<int>();
        for (var start = 0; start < mask.Length; start++)
        {
            if (!mask[start] || seen[start]) continue;
            var blob = new List<int>();
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                blob.Add(p);
                int x = p % w, y = p / w;
                if (x > 0) Visit(p - 1);
                if (x < w - 1) Visit(p + 1);
                if (y > 0) Visit(p - w);
                if (y < h - 1) Visit(p + w);
            }
            yield return blob;
        }

        void Visit(int q)
        {
            if (!mask[q] || seen[q]) return;
            seen[q] = true;
            stack.Push(q);
        }
    }
}
