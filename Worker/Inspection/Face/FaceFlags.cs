using System.Buffers;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Signs, measured in the pixels around the detected (and refined) face points, of what the notice
/// forbids but geometry cannot see. Everything is relative to the face's own scale (the eye distance
/// d) and its own skin (the cheeks under the eyes), so skin tone, exposure and head size do not decide.
/// </summary>
public sealed record FaceFlagMeasurements(
    double GlassesArc, double GlassesBridge, double EyeOpening, double HairCover, double EarCover, double Teeth, double LipGap, Lab Skin)
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

    /// <summary>
    /// The cheeks below each eye, well clear of lids and frames: the face's own skin colour (median L*, a*, b*) and its
    /// median luma, from one pass over those pixels. The medians are the nearest-rank ones of a sort (Stats.Median, and
    /// the middle of the sorted lumas), found by selection and by a histogram instead of sorting.
    /// </summary>
    private static (Lab Skin, int Luma) Cheeks(FacePixels px, FaceLandmarks l, float d)
    {
        var right = Area.Below(l.RightEye.X - 0.12 * d, l.RightEye.X + 0.12 * d, l.RightEye.Y + 0.5 * d, l.RightEye.Y + 0.65 * d);
        var left = Area.Below(l.LeftEye.X - 0.12 * d, l.LeftEye.X + 0.12 * d, l.LeftEye.Y + 0.5 * d, l.LeftEye.Y + 0.65 * d);
        var n = right.Count + left.Count;
        var colours = ArrayPool<Lab>.Shared.Rent(Math.Max(1, n));
        var values = ArrayPool<float>.Shared.Rent(Math.Max(1, n));
        Span<int> lumas = stackalloc int[256];
        lumas.Clear();
        Span<byte> scratch = stackalloc byte[RowScratch];
        try
        {
            px.LabRect(right.X0, right.Y0, right.Width, right.Height, colours);
            px.LabRect(left.X0, left.Y0, left.Width, left.Height, colours.AsSpan(right.Count));
            foreach (var area in new[] { right, left })
            {
                var row = area.Width <= scratch.Length ? scratch[..area.Width] : new byte[area.Width];
                for (var y = area.Y0; y < area.Y0 + area.Height; y++)
                {
                    px.LumaRow(area.X0, y, row);
                    foreach (var v in row) lumas[v]++;
                }
            }
            var luma = 0;
            for (int seen = 0, half = n / 2; luma < 255; luma++)
                if ((seen += lumas[luma]) > half) break;
            var all = colours.AsSpan(0, n);
            var channel = values.AsSpan(0, n);
            for (var i = 0; i < n; i++) channel[i] = all[i].L;
            var medianL = Stats.Median(channel);
            for (var i = 0; i < n; i++) channel[i] = all[i].A;
            var medianA = Stats.Median(channel);
            for (var i = 0; i < n; i++) channel[i] = all[i].B;
            return (new Lab(medianL, medianA, Stats.Median(channel)), luma);
        }
        finally
        {
            ArrayPool<Lab>.Shared.Return(colours);
            ArrayPool<float>.Shared.Return(values);
        }
    }

    /// <summary>Share of the columns under each eye (the smaller of the two) where a dark lower rim dips well below the skin.</summary>
    private static double MeasureGlassesArc(FacePixels px, FaceLandmarks l, float d, int skin)
    {
        double share = 1;
        Span<byte> scratch = stackalloc byte[2 * RowScratch];
        foreach (var e in new[] { l.RightEye, l.LeftEye })
        {
            var area = Area.Through(e.X - 0.15 * d, e.X + 0.15 * d, e.Y + 0.12 * d, e.Y + 0.45 * d);
            // Row by row, the darkest luma of each column so far.
            var fits = area.Width <= RowScratch;
            var min = fits ? scratch[..area.Width] : new byte[area.Width];
            var row = fits ? scratch.Slice(RowScratch, area.Width) : new byte[area.Width];
            min.Fill(255);
            for (var y = area.Y0; y < area.Y0 + area.Height; y++)
            {
                px.LumaRow(area.X0, y, row);
                for (var i = 0; i < row.Length; i++) min[i] = Math.Min(min[i], row[i]);
            }
            var dipped = 0;
            foreach (var v in min)
                if (v < skin * 0.55) dipped++;
            share = Math.Min(share, dipped / (double)area.Width);
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
        var area = Area.Through(mid.X - 0.06 * d, mid.X + 0.06 * d, mid.Y - 0.2 * d, mid.Y + 0.12 * d);
        int columns = area.Width, rows = area.Height, crossed = 0;
        // The lumas row by row; each column's profile is read down from them.
        var lumas = ArrayPool<byte>.Shared.Rent(Math.Max(1, columns * rows));
        Span<int> profile = rows <= 1024 ? stackalloc int[rows] : new int[rows];
        Span<int> sorted = rows <= 1024 ? stackalloc int[rows] : new int[rows];
        try
        {
            for (var k = 0; k < rows; k++) px.LumaRow(area.X0, area.Y0 + k, lumas.AsSpan(k * columns, columns));
            for (var c = 0; c < columns; c++)
            {
                for (var k = 0; k < rows; k++) profile[k] = lumas[k * columns + c];
                // A line: a dip well below the column's own level, and below the skin, narrower than a fifth of d.
                profile.CopyTo(sorted);
                sorted.Sort();
                var level = sorted[sorted.Length / 2];
                var run = 0;
                var longest = 0;
                foreach (var v in profile) longest = Math.Max(longest, run = v < Math.Min(level, skin) * 0.6 ? run + 1 : 0);
                if (longest >= 2 && longest <= 0.2 * d) crossed++;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(lumas);
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
        var area = Area.Through(e.X - 0.2 * d, e.X + 0.2 * d, e.Y - 0.07 * d, e.Y + 0.07 * d);
        var colours = ArrayPool<Lab>.Shared.Rent(Math.Max(1, area.Count));
        try
        {
            px.LabRect(area.X0, area.Y0, area.Width, area.Height, colours);
            var white = 0;
            foreach (var c in colours.AsSpan(0, area.Count))
                if (c.Chroma < skin.Chroma * 0.35 && c.L > skin.L - 20 && c.L > 25) white++;
            return white / (double)area.Count;
        }
        finally
        {
            ArrayPool<Lab>.Shared.Return(colours);
        }
    }

    /// <summary>Share of hair-dark pixels from the brow down to the eye (the larger of the two eyes).</summary>
    private static double MeasureHairCover(FacePixels px, FaceLandmarks l, float d, int skin)
    {
        double hair = 0;
        Span<byte> scratch = stackalloc byte[RowScratch];
        foreach (var e in new[] { l.RightEye, l.LeftEye })
        {
            var area = Area.Through(e.X - 0.2 * d, e.X + 0.2 * d, e.Y - 0.35 * d, e.Y + 0.05 * d);
            var row = area.Width <= scratch.Length ? scratch[..area.Width] : new byte[area.Width];
            var dark = 0;
            for (var y = area.Y0; y < area.Y0 + area.Height; y++)
            {
                px.LumaRow(area.X0, y, row);
                foreach (var v in row)
                    if (v < skin * 0.35) dark++;
            }
            hair = Math.Max(hair, dark / (double)area.Count);
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
        Span<int> columnScratch = stackalloc int[RowScratch];
        Span<byte> rowScratch = stackalloc byte[RowScratch];
        foreach (var (t, side) in new[] { (l.RightEarTragion, -1), (l.LeftEarTragion, 1) })
        {
            // The columns, outwards from the tragion (the same for every row), and the rows.
            var count = 0;
            for (var k = 0.05 * d; k <= 0.4 * d; k += 1) count++;
            var columns = count <= columnScratch.Length ? columnScratch[..count] : new int[count];
            var i = 0;
            for (var k = 0.05 * d; k <= 0.4 * d; k += 1) columns[i++] = (int)(t.X + side * k);
            var rows = Area.Through(0, 0, t.Y + 0.2 * d, t.Y + 0.6 * d);
            var box = rows.Height * count;
            var hair = box == 0 ? 0 : HairDarkPixels(px, columns, rows, skin, backdrop, rowScratch);
            cover = Math.Max(cover, hair / (double)box);
        }
        return cover;
    }

    /// <summary>
    /// Of the pixels at <paramref name="columns"/> (outwards from a tragion, so ascending or descending) in <paramref name="rows"/>:
    /// those darker than half the skin's luma and apart from the backdrop colour. Lumas a row at a time over the span of the
    /// columns; only the dark pixels are converted to CIELAB, together.
    /// </summary>
    private static int HairDarkPixels(FacePixels px, ReadOnlySpan<int> columns, Area rows, int skin, Lab backdrop, Span<byte> rowScratch)
    {
        int count = columns.Length, box = rows.Height * count, hair = 0;
        int first = Math.Min(columns[0], columns[count - 1]), span = Math.Max(columns[0], columns[count - 1]) - first + 1;
        var row = span <= rowScratch.Length ? rowScratch[..span] : new byte[span];
        var pool = ArrayPool<int>.Shared;
        int[] darkX = pool.Rent(box), darkY = pool.Rent(box);
        var colours = ArrayPool<Lab>.Shared.Rent(box);
        try
        {
            var dark = 0;
            for (var y = rows.Y0; y < rows.Y0 + rows.Height; y++)
            {
                px.LumaRow(first, y, row);
                foreach (var x in columns)
                    if (row[x - first] < skin * 0.5) (darkX[dark], darkY[dark], dark) = (x, y, dark + 1);
            }
            px.LabAt(darkX.AsSpan(0, dark), darkY.AsSpan(0, dark), colours);
            foreach (var c in colours.AsSpan(0, dark))
                if (Lab.DeltaE76(c, backdrop) > 15) hair++;
        }
        finally
        {
            pool.Return(darkX);
            pool.Return(darkY);
            ArrayPool<Lab>.Shared.Return(colours);
        }
        return hair;
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
        var n = w * h;
        var colours = ArrayPool<Lab>.Shared.Rent(n);
        var lightness = ArrayPool<float>.Shared.Rent(n);
        var mask = ArrayPool<bool>.Shared.Rent(n);
        try
        {
            px.LabRect(x0, y0, w, h, colours);
            for (var i = 0; i < n; i++)
            {
                var c = colours[i];
                lightness[i] = c.L;
                mask[i] = c.L > minL && c.Chroma < skin.Chroma * 0.45;
            }
            // Teeth are one block between the lips, lighter than the lips and mouth around them; grey stubble
            // is specks on skin no darker than itself.
            return TeethBlocks.Largest(mask.AsSpan(0, n), lightness.AsSpan(0, n), w, h, TeethContrast) / (d * d);
        }
        finally
        {
            ArrayPool<Lab>.Shared.Return(colours);
            ArrayPool<float>.Shared.Return(lightness);
            ArrayPool<bool>.Shared.Return(mask);
        }
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
        // Every column reads L* and chroma three pixels wide, many rows over: the window they read is converted once, in vectors.
        int around = Math.Max(reach, lipFar) + 1;
        var window = new LipWindow(px, (int)(m.X - 0.15 * d) - 1, (int)(m.Y - 0.2 * d) - around, (int)(m.X + 0.15 * d) + 2, (int)(m.Y + 0.1 * d) + around);
        try
        {
            var columns = Area.Through(m.X - 0.15 * d, m.X + 0.15 * d, 0, 0).Width;
            Span<double> bands = columns <= 1024 ? stackalloc double[columns] : new double[columns];
            var lipRows = Math.Max(0, lipFar - lipNear + 1);
            Span<float> upper = lipRows <= 1024 ? stackalloc float[lipRows] : new float[lipRows];
            Span<float> lower = lipRows <= 1024 ? stackalloc float[lipRows] : new float[lipRows];
            var column = 0;
            for (var x = (int)(m.X - 0.15 * d); x <= m.X + 0.15 * d; x++)
            {
                int top = (int)(m.Y - 0.2 * d), bottom = (int)(m.Y + 0.1 * d), line = top;
                var darkest = float.MaxValue;
                for (var y = top; y <= bottom; y++)
                {
                    var lightness = (window.L(x - 1, y) + window.L(x, y) + window.L(x + 1, y)) / 3;
                    if (lightness < darkest) (darkest, line) = (lightness, y);
                }
                for (int k = lipNear, i = 0; k <= lipFar; k++, i++)
                {
                    upper[i] = window.Chroma3(x, line - k);
                    lower[i] = window.Chroma3(x, line + k);
                }
                upper.Sort();
                lower.Sort();
                var lips = Math.Min(upper[upper.Length * 3 / 4], lower[lower.Length * 3 / 4]);
                var band = 0;
                for (var y = line - reach; y <= line + reach; y++)
                    if (window.Chroma3(x, y) < LipGapChroma * lips) band++;
                bands[column++] = band / d;
            }
            bands.Sort();
            return bands[bands.Length / 2];
        }
        finally
        {
            window.Return();
        }
    }

    /// <summary>Row buffers on the stack up to this many pixels (a face 2,500 px wide); wider rows are allocated.</summary>
    private const int RowScratch = 1024;

    /// <summary>Share of the lips' chroma under which a pixel on the lip line is the gap between them, not lip.</summary>
    private const double LipGapChroma = 0.6;

    /// <summary>
    /// L* by which teeth are lighter than the pixels around them (lips, the mouth's dark): 5–20 on the real
    /// smiles; grey stubble on skin measures under 2.
    /// </summary>
    private const double TeethContrast = 3.5;

    /// <summary>
    /// L* and chroma of every pixel of the lip measurement's window [x0, x1] x [y0, y1], converted once in vectors
    /// (<see cref="FacePixels.LabRect"/>); the measurement reads only inside it.
    /// </summary>
    private readonly struct LipWindow
    {
        private readonly int _x0, _y0, _w;
        private readonly float[] _l, _chroma;

        public LipWindow(FacePixels px, int x0, int y0, int x1, int y1)
        {
            (_x0, _y0, _w) = (x0, y0, x1 - x0 + 1);
            var n = _w * (y1 - y0 + 1);
            _l = ArrayPool<float>.Shared.Rent(n);
            _chroma = ArrayPool<float>.Shared.Rent(n);
            var colours = ArrayPool<Lab>.Shared.Rent(n);
            try
            {
                px.LabRect(x0, y0, _w, y1 - y0 + 1, colours);
                for (var i = 0; i < n; i++) (_l[i], _chroma[i]) = (colours[i].L, colours[i].Chroma);
            }
            finally
            {
                ArrayPool<Lab>.Shared.Return(colours);
            }
        }

        public float L(int x, int y) => _l[(y - _y0) * _w + x - _x0];

        /// <summary>Chroma averaged over three pixels of a row, against JPEG's colour noise.</summary>
        public float Chroma3(int x, int y)
        {
            var i = (y - _y0) * _w + x - _x0;
            return (_chroma[i - 1] + _chroma[i] + _chroma[i + 1]) / 3;
        }

        public void Return()
        {
            ArrayPool<float>.Shared.Return(_l);
            ArrayPool<float>.Shared.Return(_chroma);
        }
    }

    /// <summary>The pixels a measurement's two loops visit: columns from (int)left on, rows from (int)top on.</summary>
    private readonly record struct Area(int X0, int Y0, int Width, int Height)
    {
        public int Count => Width * Height;

        /// <summary>As <c>for (x = (int)left; x &lt;= right; x++)</c> and the same for the rows.</summary>
        public static Area Through(double left, double right, double top, double bottom)
        {
            int x0 = (int)left, y0 = (int)top;
            return new Area(x0, y0, Math.Max(0, (int)Math.Floor(right) - x0 + 1), Math.Max(0, (int)Math.Floor(bottom) - y0 + 1));
        }

        /// <summary>As <c>for (x = (int)left; x &lt; right; x++)</c> and the same for the rows.</summary>
        public static Area Below(double left, double right, double top, double bottom)
        {
            int x0 = (int)left, y0 = (int)top;
            return new Area(x0, y0, Math.Max(0, (int)Math.Ceiling(right) - x0), Math.Max(0, (int)Math.Ceiling(bottom) - y0));
        }
    }
}
