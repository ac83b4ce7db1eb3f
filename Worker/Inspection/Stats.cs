namespace CollectionWorker.Inspection;

/// <summary>Small robust statistics used by the checks.</summary>
public static class Stats
{
    public static float Median(float[] values) => Percentile(values.AsSpan(), 50);

    /// <summary>Nearest-rank median; reorders the values.</summary>
    public static float Median(Span<float> values) => Percentile(values, 50);

    /// <summary>Per-channel median colour of the listed patches, by histogram (0.05 resolution): linear time, no sorting.</summary>
    public static Lab MedianColor(Lab[] colors, List<int> indices)
    {
        if (indices.Count == 0) return default;
        var l = new int[HistogramBins];
        var a = new int[HistogramBins];
        var b = new int[HistogramBins];
        foreach (var i in indices)
        {
            var c = colors[i];
            l[Bin(c.L)]++;
            a[Bin(c.A)]++;
            b[Bin(c.B)]++;
        }
        var half = (indices.Count + 1) / 2;
        return new Lab(Middle(l, half), Middle(a, half), Middle(b, half));
    }

    private const float HistogramMin = -160;
    private const float HistogramStep = 0.05f;
    private const int HistogramBins = 320 * 20;

    private static int Bin(float v) => Math.Clamp((int)((v - HistogramMin) / HistogramStep), 0, HistogramBins - 1);

    private static float Middle(int[] bins, int half)
    {
        for (int b = 0, seen = 0; b < bins.Length; b++)
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

    /// <summary>Nearest-rank percentile; reorders the array.</summary>
    public static float Percentile(float[] values, double percent) => Percentile(values.AsSpan(), percent);

    /// <summary>
    /// Nearest-rank percentile: the value a full sort would put at the rank, found by selection (Hoare's
    /// quickselect: linear time on average instead of a sort's n log n); reorders the values.
    /// </summary>
    public static float Percentile(Span<float> values, double percent)
    {
        if (values.Length == 0) return float.NaN;
        var rank = (int)Math.Ceiling(percent / 100 * values.Length) - 1;
        return Select(values, Math.Clamp(rank, 0, values.Length - 1));
    }

    /// <summary>
    /// The value at a 0-based rank of the values in ascending order, bit for bit the one a sort puts there.
    /// Equal values are the same bits except NaN and ±0, whose order only the sort's own algorithm decides:
    /// values holding any NaN or −0 are sorted.
    /// </summary>
    internal static float Select(Span<float> values, int rank)
    {
        foreach (var v in values)
            if (float.IsNaN(v) || (v == 0 && float.IsNegative(v)))
            {
                values.Sort();
                return values[rank];
            }
        int lo = 0, hi = values.Length - 1;
        while (lo < hi)
        {
            // Median of three as the pivot; the partition stops on values equal to it, so runs of equal values split evenly.
            var mid = lo + (hi - lo) / 2;
            float a = values[lo], b = values[mid], c = values[hi];
            var pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            // Now [lo, j] ≤ pivot, [i, hi] ≥ pivot, and anything between equals the pivot.
            if (rank <= j) hi = j;
            else if (rank >= i) lo = i;
            else return values[rank];
        }
        return values[rank];
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
