namespace CollectionWorker.Inspection;

/// <summary>Small robust statistics used by the checks.</summary>
public static class Stats
{
    public static float Median(float[] values) => Percentile(values, 50);

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
    private readonly double[] _coefficients;

    private SurfaceFit(double[] coefficients) => _coefficients = coefficients;

    /// <summary>Terms: 1, x, y (plane) or 1, x, y, x², y², xy (quadratic); x and y normalised to 0–1.</summary>
    public static SurfaceFit? Fit(IReadOnlyList<(float X, float Y, float V)> samples, bool quadratic)
    {
        var k = quadratic ? 6 : 3;
        if (samples.Count < k * 4) return null;
        var ata = new double[k, k];
        var atb = new double[k];
        Span<double> t = stackalloc double[6];
        foreach (var (x, y, v) in samples)
        {
            Terms(x, y, t);
            for (var i = 0; i < k; i++)
            {
                atb[i] += t[i] * v;
                for (var j = 0; j < k; j++) ata[i, j] += t[i] * t[j];
            }
        }
        // Gaussian elimination with partial pivoting on the normal equations (6x6 at most).
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
        var coef = new double[k];
        for (var r = k - 1; r >= 0; r--)
        {
            var s = atb[r];
            for (var j = r + 1; j < k; j++) s -= ata[r, j] * coef[j];
            coef[r] = s / ata[r, r];
        }
        return new SurfaceFit(coef);
    }

    private static void Terms(float x, float y, Span<double> t)
    {
        t[0] = 1; t[1] = x; t[2] = y; t[3] = x * x; t[4] = y * y; t[5] = x * y;
    }

    public float At(float x, float y)
    {
        Span<double> t = stackalloc double[6];
        Terms(x, y, t);
        double v = 0;
        for (var i = 0; i < _coefficients.Length; i++) v += _coefficients[i] * t[i];
        return (float)v;
    }

    /// <summary>For a plane: change of v across the whole width (x 0→1) and height (y 0→1).</summary>
    public (float AcrossWidth, float AcrossHeight) Slopes => ((float)_coefficients[1], (float)_coefficients[2]);
}
