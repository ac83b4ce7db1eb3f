using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CollectionWorker.Inspection;

/// <summary>Small robust statistics used by the checks.</summary>
public static class Stats
{
    public static float Median(float[] values) => Percentile(values.AsSpan(), 50);

    /// <summary>Nearest-rank median; reorders the values.</summary>
    public static float Median(Span<float> values) => Percentile(values, 50);

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
        Span<int> bins = stackalloc int[4001];
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
        int lo = 0, hi = values.Length; // the rank lies in [lo, hi)
        while (hi - lo > 1)
        {
            var pivot = MedianOfThree(values[lo], values[lo + (hi - lo) / 2], values[hi - 1]);
            // Values below the pivot to the front, without a branch per value: a comparison that goes either
            // way at random costs a mispredicted jump, more than the swap done every time.
            var below = PartitionBefore(values, lo, hi, pivot, orEqual: false);
            if (rank < below)
            {
                hi = below;
                continue;
            }
            // Then, from there, the values equal to it; whatever is left is above it.
            var notAbove = PartitionBefore(values, below, hi, pivot, orEqual: true);
            if (rank < notAbove) return pivot;
            lo = notAbove;
        }
        return values[rank];
    }

    private static float MedianOfThree(float a, float b, float c) =>
        a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);

    /// <summary>Moves the values in [lo, hi) below the pivot (or equal to it) to the front of that range; returns where the rest begin.</summary>
    private static int PartitionBefore(Span<float> values, int lo, int hi, float pivot, bool orEqual)
    {
        var store = lo;
        for (var i = lo; i < hi; i++)
        {
            // [lo, store) go before, [store, i) do not: swapping value i with the first that does not keeps
            // that true whichever way value i goes.
            var v = values[i];
            values[i] = values[store];
            values[store] = v;
            store += (v < pivot) | (orEqual & v == pivot) ? 1 : 0;
        }
        return store;
    }
}

/// <summary>Least-squares fit of a smooth surface v(x, y) (plane or quadratic) over scattered samples.</summary>
public sealed class SurfaceFit
{
    private readonly double[] _c;

    private SurfaceFit(double[] coefficients) => _c = coefficients;

    /// <summary>c0 + c1 x + c2 y + c3 x² + c4 y² + c5 xy (the quadratic terms 0 for a plane).</summary>
    internal IReadOnlyList<double> Coefficients => _c;

    /// <summary>
    /// Fits L* over the patches (every <paramref name="stride"/>-th one: a smooth surface needs few samples).
    /// Terms: 1, x, y (plane) or 1, x, y, x², y², xy (quadratic); x and y are patch centres normalised to 0–1.
    /// </summary>
    public static SurfaceFit? FitLightness(PatchGrid grid, IReadOnlyList<int> patches, bool quadratic, int stride = 1)
    {
        var k = quadratic ? 6 : 3;
        if (patches.Count / stride < k * 4) return null;
        Span<double> upper = stackalloc double[36];
        Span<double> rl = stackalloc double[6];
        Accumulate(grid, patches, stride, k, upper, rl, [], []);
        return Solve(Symmetric(upper, k), rl[..k].ToArray(), k) is { } coef ? new SurfaceFit(coef) : null;
    }

    /// <summary>The same surface fitted to L*, a* and b* at once (one set of normal equations, three right-hand sides).</summary>
    public static (SurfaceFit L, SurfaceFit A, SurfaceFit B)? FitLab(PatchGrid grid, IReadOnlyList<int> patches, bool quadratic, int stride = 1)
    {
        var k = quadratic ? 6 : 3;
        if (patches.Count / stride < k * 4) return null;
        Span<double> upper = stackalloc double[36];
        Span<double> rl = stackalloc double[6], ra = stackalloc double[6], rb = stackalloc double[6];
        Accumulate(grid, patches, stride, k, upper, rl, ra, rb);
        var ata = Symmetric(upper, k);
        if (Solve((double[,])ata.Clone(), rl[..k].ToArray(), k) is not { } l
            || Solve((double[,])ata.Clone(), ra[..k].ToArray(), k) is not { } a
            || Solve(ata, rb[..k].ToArray(), k) is not { } b) return null;
        return (new SurfaceFit(l), new SurfaceFit(a), new SurfaceFit(b));
    }

    /// <summary>
    /// The normal equations' sums: AᵀA's upper triangle (row-major, 6 wide) and Aᵀv for L* (and a*, b* when
    /// their spans are given). Every element is summed over the samples in their order, and t[i]·t[j] is
    /// t[j]·t[i] to the bit, so the matrix is the one summing all k² products per sample would give. The
    /// two shapes the checks use (a plane of L*, a quadratic of L*a*b*) are written out term by term.
    /// </summary>
    private static void Accumulate(PatchGrid grid, IReadOnlyList<int> patches, int stride, int k,
        Span<double> upper, Span<double> rl, Span<double> ra, Span<double> rb)
    {
        var centres = PatchCentres.Of(grid);
        var list = patches as List<int> ?? patches.ToList();
        var indices = CollectionsMarshal.AsSpan(list);
        if (k == 3 && ra.IsEmpty) PlaneOfLightness(grid.Color, centres, indices, stride, upper, rl);
        else if (k == 6 && !ra.IsEmpty) QuadraticOfLab(grid.Color, centres, indices, stride, upper, rl, ra, rb);
        else AnyShape(grid.Color, centres, indices, stride, k, upper, rl, ra, rb);
    }

    private static void PlaneOfLightness(Lab[] colors, PatchCentres centres, ReadOnlySpan<int> indices, int stride,
        Span<double> upper, Span<double> rl)
    {
        // Terms 1, x, y; 1·t is t exactly.
        double s00 = 0, s01 = 0, s02 = 0, s11 = 0, s12 = 0, s22 = 0, v0 = 0, v1 = 0, v2 = 0;
        for (var n = 0; n < indices.Length; n += stride)
        {
            var p = indices[n];
            var (xf, yf) = centres.At(p);
            double x = xf, y = yf, l = colors[p].L;
            s00 += 1; s01 += x; s02 += y;
            s11 += x * x; s12 += x * y;
            s22 += y * y;
            v0 += l; v1 += x * l; v2 += y * l;
        }
        upper[0] = s00; upper[1] = s01; upper[2] = s02;
        upper[7] = s11; upper[8] = s12;
        upper[14] = s22;
        rl[0] = v0; rl[1] = v1; rl[2] = v2;
    }

    private static void QuadraticOfLab(Lab[] colors, PatchCentres centres, ReadOnlySpan<int> indices, int stride,
        Span<double> upper, Span<double> rl, Span<double> ra, Span<double> rb)
    {
        // Terms 1, x, y, x², y², xy, the squares and product taken in float as Terms does; 1·t is t exactly.
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s04 = 0, s05 = 0;
        double s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
        double s22 = 0, s23 = 0, s24 = 0, s25 = 0;
        double s33 = 0, s34 = 0, s35 = 0;
        double s44 = 0, s45 = 0;
        double s55 = 0;
        double l0 = 0, l1 = 0, l2 = 0, l3 = 0, l4 = 0, l5 = 0;
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0;
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0;
        for (var n = 0; n < indices.Length; n += stride)
        {
            var p = indices[n];
            var (xf, yf) = centres.At(p);
            double t1 = xf, t2 = yf, t3 = xf * xf, t4 = yf * yf, t5 = xf * yf;
            var c = colors[p];
            double l = c.L, a = c.A, b = c.B;
            s00 += 1; s01 += t1; s02 += t2; s03 += t3; s04 += t4; s05 += t5;
            s11 += t1 * t1; s12 += t1 * t2; s13 += t1 * t3; s14 += t1 * t4; s15 += t1 * t5;
            s22 += t2 * t2; s23 += t2 * t3; s24 += t2 * t4; s25 += t2 * t5;
            s33 += t3 * t3; s34 += t3 * t4; s35 += t3 * t5;
            s44 += t4 * t4; s45 += t4 * t5;
            s55 += t5 * t5;
            l0 += l; l1 += t1 * l; l2 += t2 * l; l3 += t3 * l; l4 += t4 * l; l5 += t5 * l;
            a0 += a; a1 += t1 * a; a2 += t2 * a; a3 += t3 * a; a4 += t4 * a; a5 += t5 * a;
            b0 += b; b1 += t1 * b; b2 += t2 * b; b3 += t3 * b; b4 += t4 * b; b5 += t5 * b;
        }
        upper[0] = s00; upper[1] = s01; upper[2] = s02; upper[3] = s03; upper[4] = s04; upper[5] = s05;
        upper[7] = s11; upper[8] = s12; upper[9] = s13; upper[10] = s14; upper[11] = s15;
        upper[14] = s22; upper[15] = s23; upper[16] = s24; upper[17] = s25;
        upper[21] = s33; upper[22] = s34; upper[23] = s35;
        upper[28] = s44; upper[29] = s45;
        upper[35] = s55;
        rl[0] = l0; rl[1] = l1; rl[2] = l2; rl[3] = l3; rl[4] = l4; rl[5] = l5;
        ra[0] = a0; ra[1] = a1; ra[2] = a2; ra[3] = a3; ra[4] = a4; ra[5] = a5;
        rb[0] = b0; rb[1] = b1; rb[2] = b2; rb[3] = b3; rb[4] = b4; rb[5] = b5;
    }

    private static void AnyShape(Lab[] colors, PatchCentres centres, ReadOnlySpan<int> indices, int stride, int k,
        Span<double> upper, Span<double> rl, Span<double> ra, Span<double> rb)
    {
        var lab = !ra.IsEmpty;
        Span<double> t = stackalloc double[6];
        for (var n = 0; n < indices.Length; n += stride)
        {
            var p = indices[n];
            var (x, y) = centres.At(p);
            Terms(x, y, t);
            var c = colors[p];
            for (var i = 0; i < k; i++)
            {
                var ti = t[i];
                var row = upper.Slice(i * 6, 6);
                for (var j = i; j < k; j++) row[j] += ti * t[j];
                rl[i] += ti * c.L;
                if (lab)
                {
                    ra[i] += ti * c.A;
                    rb[i] += ti * c.B;
                }
            }
        }
    }

    /// <summary>The full k x k matrix from its upper triangle.</summary>
    private static double[,] Symmetric(ReadOnlySpan<double> upper, int k)
    {
        var ata = new double[k, k];
        for (var i = 0; i < k; i++)
            for (var j = i; j < k; j++)
                ata[i, j] = ata[j, i] = upper[i * 6 + j];
        return ata;
    }

    /// <summary>Gaussian elimination with partial pivoting on the normal equations (6x6 at most); null when singular.</summary>
    internal static double[]? Solve(double[,] ata, double[] atb, int k)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Terms(float x, float y, Span<double> t)
    {
        t[0] = 1; t[1] = x; t[2] = y; t[3] = x * x; t[4] = y * y; t[5] = x * y;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float At(float x, float y) => (float)(_c[0] + _c[1] * x + _c[2] * y + _c[3] * x * x + _c[4] * y * y + _c[5] * x * y);

    /// <summary>For a plane: change of v across the whole width (x 0→1) and height (y 0→1).</summary>
    public (float AcrossWidth, float AcrossHeight) Slopes => ((float)_c[1], (float)_c[2]);
}

/// <summary>
/// Every patch column's and row's centre as a fraction of the frame (0–1): <see cref="PatchGrid.Normalised"/>
/// by table, the same floats without two divisions per patch in the loops that visit thousands.
/// </summary>
internal readonly struct PatchCentres
{
    private readonly float[] _x;
    private readonly float[] _y;
    private readonly short[] _colOf;
    private readonly short[] _rowOf;

    private PatchCentres(PatchGrid g)
    {
        _x = new float[g.Cols];
        _y = new float[g.Rows];
        // The same expression as PatchGrid.Normalised, column by column and row by row.
        for (var c = 0; c < g.Cols; c++) _x[c] = (c + 0.5f) / g.Cols;
        for (var r = 0; r < g.Rows; r++) _y[r] = (r + 0.5f) / g.Rows;
        _colOf = g.ColOf;
        _rowOf = g.RowOf;
    }

    public static PatchCentres Of(PatchGrid grid) => new(grid);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (float X, float Y) At(int patch) => (_x[_colOf[patch]], _y[_rowOf[patch]]);
}
