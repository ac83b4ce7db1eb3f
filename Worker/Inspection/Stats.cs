namespace CollectionWorker.Inspection;

/// <summary>Small robust statistics used by the checks.</summary>
public static class Stats
{
    public static float Median(float[] values) => Percentile(values, 50);

    /// <summary>Per-channel median colour of the listed patches, by histogram (0.05 resolution): linear time, no sorting.</summary>
    public static Lab MedianColor(Lab[] colors, List<int> indices) => MedianColor(colors, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(indices));

    /// <summary>
    /// Per-channel median colour of the listed patches, by histogram (0.05 resolution): linear time, no sorting.
    /// The three histograms share one pooled buffer, and each is searched from its lowest filled bin (below it
    /// the running count is 0, so the answer is the same as searching from the first bin).
    /// </summary>
    public static Lab MedianColor(Lab[] colors, ReadOnlySpan<int> indices)
    {
        if (indices.Length == 0) return default;
        var buffer = System.Buffers.ArrayPool<int>.Shared.Rent(3 * HistogramBins);
        try
        {
            var bins = buffer.AsSpan(0, 3 * HistogramBins);
            bins.Clear();
            var l = bins[..HistogramBins];
            var a = bins.Slice(HistogramBins, HistogramBins);
            var b = bins.Slice(2 * HistogramBins, HistogramBins);
            int lowL = HistogramBins, lowA = HistogramBins, lowB = HistogramBins;
            foreach (var i in indices)
            {
                var c = colors[i];
                int bl = Bin(c.L), ba = Bin(c.A), bb = Bin(c.B);
                l[bl]++;
                a[ba]++;
                b[bb]++;
                lowL = Math.Min(lowL, bl);
                lowA = Math.Min(lowA, ba);
                lowB = Math.Min(lowB, bb);
            }
            var half = (indices.Length + 1) / 2;
            return new Lab(Middle(l, lowL, half), Middle(a, lowA, half), Middle(b, lowB, half));
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(buffer);
        }
    }

    private const float HistogramMin = -160;
    private const float HistogramStep = 0.05f;
    private const int HistogramBins = 320 * 20;

    private static int Bin(float v) => Math.Clamp((int)((v - HistogramMin) / HistogramStep), 0, HistogramBins - 1);

    private static float Middle(ReadOnlySpan<int> bins, int from, int half)
    {
        for (int b = from, seen = 0; b < bins.Length; b++)
        {
            seen += bins[b];
            if (seen >= half) return HistogramMin + (b + 0.5f) * HistogramStep;
        }
        return float.NaN;
    }

    /// <summary>Percentile of non-negative values by histogram (0.05 resolution, capped at 200): linear time.</summary>
    public static float PercentileOfNonNegative(ReadOnlySpan<float> values, double percent)
    {
        if (values.Length == 0) return float.NaN;
        const float step = 0.05f;
        var bins = new int[4001];
        foreach (var v in values) bins[Math.Clamp((int)(v / step), 0, bins.Length - 1)]++;
        var rank = (int)Math.Ceiling(percent / 100 * values.Length);
        for (int b = 0, seen = 0; b < bins.Length; b++)
        {
            seen += bins[b];
            if (seen >= rank) return (b + 0.5f) * step;
        }
        return bins.Length * step;
    }

    /// <summary>Nearest-rank percentile; sorts the array in place.</summary>
    public static float Percentile(float[] values, double percent)
    {
        if (values.Length == 0) return float.NaN;
        Array.Sort(values);
        var rank = (int)Math.Ceiling(percent / 100 * values.Length) - 1;
        return values[Math.Clamp(rank, 0, values.Length - 1)];
    }
}

/// <summary>Least-squares fit of a smooth surface v(x, y) (plane or quadratic) over scattered samples.</summary>
public sealed class SurfaceFit
{
    private readonly double[] _c;

    private SurfaceFit(double[] coefficients) => _c = coefficients;

    /// <summary>
    /// Fits v over the patches (every <paramref name="stride"/>-th one: a smooth surface needs few samples).
    /// Terms: 1, x, y (plane) or 1, x, y, x², y², xy (quadratic); x and y are patch centres normalised to 0–1.
    /// </summary>
    public static SurfaceFit? Fit(PatchGrid grid, IReadOnlyList<int> patches, Func<Lab, float> channel, bool quadratic, int stride = 1)
    {
        var k = quadratic ? 6 : 3;
        if (patches.Count / stride < k * 4) return null;
        var ata = new double[k, k];
        var atb = new double[k];
        Span<double> t = stackalloc double[6];
        for (var n = 0; n < patches.Count; n += stride)
        {
            var p = patches[n];
            var (x, y) = grid.Normalised(p);
            Terms(x, y, t);
            double v = channel(grid.Color[p]);
            for (var i = 0; i < k; i++)
            {
                atb[i] += t[i] * v;
                for (var j = 0; j < k; j++) ata[i, j] += t[i] * t[j];
            }
        }
        return Solve(ata, atb, k) is { } coef ? new SurfaceFit(coef) : null;
    }

    /// <summary>Gaussian elimination with partial pivoting on the normal equations (6x6 at most); null when singular.</summary>
    private static double[]? Solve(double[,] ata, double[] atb, int k)
    {
        for (var col = 0; col < k; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < k; r++) if (Math.Abs(ata[r, col]) > Math.Abs(ata[pivot, col])) pivot = r;
            if (Math.Abs(ata[pivot, col]) < 1e-9) return null;
            if (pivot != col)
            {
                for (var j = 0; j < k; j++) (ata[col, j], ata[pivot, j]) = (ata[pivot, j], ata[col, j]);
                (atb[col], atb[pivot]) = (atb[pivot], atb[col]);
            }
            for (var r = col + 1; r < k; r++)
            {
                var f = ata[r, col] / ata[col, col];
                for (var j = col; j < k; j++) ata[r, j] -= f * ata[col, j];
                atb[r] -= f * atb[col];
            }
        }
        var coef = new double[6];
        for (var r = k - 1; r >= 0; r--)
        {
            var s = atb[r];
            for (var j = r + 1; j < k; j++) s -= ata[r, j] * coef[j];
            coef[r] = s / ata[r, r];
        }
        return coef;
    }

    /// <summary>The same surface fitted to L*, a* and b* at once (one set of normal equations, three right-hand sides).</summary>
    public static (SurfaceFit L, SurfaceFit A, SurfaceFit B)? FitLab(PatchGrid grid, IReadOnlyList<int> patches, bool quadratic, int stride = 1)
    {
        var k = quadratic ? 6 : 3;
        if (patches.Count / stride < k * 4) return null;
        var ata = new double[k, k];
        var rhs = new double[3, k];
        Span<double> t = stackalloc double[6];
        for (var n = 0; n < patches.Count; n += stride)
        {
            var p = patches[n];
            var (x, y) = grid.Normalised(p);
            Terms(x, y, t);
            var c = grid.Color[p];
            for (var i = 0; i < k; i++)
            {
                rhs[0, i] += t[i] * c.L;
                rhs[1, i] += t[i] * c.A;
                rhs[2, i] += t[i] * c.B;
                for (var j = 0; j < k; j++) ata[i, j] += t[i] * t[j];
            }
        }
        var fits = new SurfaceFit[3];
        for (var ch = 0; ch < 3; ch++)
        {
            var a = (double[,])ata.Clone();
            var b = new double[k];
            for (var i = 0; i < k; i++) b[i] = rhs[ch, i];
            if (Solve(a, b, k) is not { } coef) return null;
            fits[ch] = new SurfaceFit(coef);
        }
        return (fits[0], fits[1], fits[2]);
    }

    private static void Terms(float x, float y, Span<double> t)
    {
        t[0] = 1; t[1] = x; t[2] = y; t[3] = x * x; t[4] = y * y; t[5] = x * y;
    }

    public float At(float x, float y) => (float)(_c[0] + _c[1] * x + _c[2] * y + _c[3] * x * x + _c[4] * y * y + _c[5] * x * y);

    /// <summary>For a plane: change of v across the whole width (x 0→1) and height (y 0→1).</summary>
    public (float AcrossWidth, float AcrossHeight) Slopes => ((float)_c[1], (float)_c[2]);
}
