using System.Numerics;

namespace CollectionWorker.Inspection;

/// <summary>A CIELAB colour (D65), the space in which "how different do these look" is measured.</summary>
public readonly record struct Lab(float L, float A, float B)
{
    public float Chroma => MathF.Sqrt(A * A + B * B);

    /// <summary>Hue angle in degrees, 0–360.</summary>
    public float Hue
    {
        get
        {
            var h = MathF.Atan2(B, A) * 180f / MathF.PI;
            return h < 0 ? h + 360 : h;
        }
    }

    public static Lab FromRgb(double r, double g, double b) => ColorSpace.ToLab((float)r, (float)g, (float)b);

    /// <summary>CIE76: the plain Euclidean distance; cheap, used for patch-to-patch comparisons.</summary>
    public static float DeltaE76(Lab x, Lab y)
    {
        var dl = x.L - y.L;
        var da = x.A - y.A;
        var db = x.B - y.B;
        return MathF.Sqrt(dl * dl + da * da + db * db);
    }

    /// <summary>CIEDE2000 (Sharma, Wu, Dalal 2005): the perceptual distance used to classify the background colour.</summary>
    public static double DeltaE2000(Lab x, Lab y)
    {
        double l1 = x.L, a1 = x.A, b1 = x.B, l2 = y.L, a2 = y.A, b2 = y.B;
        var c1 = Math.Sqrt(a1 * a1 + b1 * b1);
        var c2 = Math.Sqrt(a2 * a2 + b2 * b2);
        var cBar7 = Math.Pow((c1 + c2) / 2, 7);
        var g = 0.5 * (1 - Math.Sqrt(cBar7 / (cBar7 + Math.Pow(25, 7))));
        var a1p = (1 + g) * a1;
        var a2p = (1 + g) * a2;
        var c1p = Math.Sqrt(a1p * a1p + b1 * b1);
        var c2p = Math.Sqrt(a2p * a2p + b2 * b2);
        var h1p = HueDegrees(b1, a1p);
        var h2p = HueDegrees(b2, a2p);

        var dLp = l2 - l1;
        var dCp = c2p - c1p;
        double dhp;
        if (c1p * c2p == 0) dhp = 0;
        else if (Math.Abs(h2p - h1p) <= 180) dhp = h2p - h1p;
        else if (h2p - h1p > 180) dhp = h2p - h1p - 360;
        else dhp = h2p - h1p + 360;
        var dHp = 2 * Math.Sqrt(c1p * c2p) * Math.Sin(Radians(dhp / 2));

        var lBarP = (l1 + l2) / 2;
        var cBarP = (c1p + c2p) / 2;
        double hBarP;
        if (c1p * c2p == 0) hBarP = h1p + h2p;
        else if (Math.Abs(h1p - h2p) <= 180) hBarP = (h1p + h2p) / 2;
        else if (h1p + h2p < 360) hBarP = (h1p + h2p + 360) / 2;
        else hBarP = (h1p + h2p - 360) / 2;

        var t = 1 - 0.17 * Math.Cos(Radians(hBarP - 30)) + 0.24 * Math.Cos(Radians(2 * hBarP))
                + 0.32 * Math.Cos(Radians(3 * hBarP + 6)) - 0.20 * Math.Cos(Radians(4 * hBarP - 63));
        var dTheta = 30 * Math.Exp(-Math.Pow((hBarP - 275) / 25, 2));
        var cBarP7 = Math.Pow(cBarP, 7);
        var rc = 2 * Math.Sqrt(cBarP7 / (cBarP7 + Math.Pow(25, 7)));
        var sl = 1 + 0.015 * Math.Pow(lBarP - 50, 2) / Math.Sqrt(20 + Math.Pow(lBarP - 50, 2));
        var sc = 1 + 0.045 * cBarP;
        var sh = 1 + 0.015 * cBarP * t;
        var rt = -Math.Sin(Radians(2 * dTheta)) * rc;

        var vl = dLp / sl;
        var vc = dCp / sc;
        var vh = dHp / sh;
        return Math.Sqrt(vl * vl + vc * vc + vh * vh + rt * vc * vh);
    }

    private static double HueDegrees(double b, double a)
    {
        if (a == 0 && b == 0) return 0;
        var h = Math.Atan2(b, a) * 180 / Math.PI;
        return h < 0 ? h + 360 : h;
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}

/// <summary>sRGB (8-bit) to CIELAB D65, with the sRGB decoding curve tabulated once.</summary>
public static class ColorSpace
{
    private static readonly float[] Linear = BuildLinear();

    private static float[] BuildLinear()
    {
        // 4 entries per 8-bit step, so averaged (fractional) patch values convert accurately.
        var t = new float[1024 + 1];
        for (var i = 0; i < t.Length; i++)
        {
            var c = i / 1024.0;
            t[i] = (float)(c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4));
        }
        return t;
    }

    private static readonly float[] LinearOfSumOfFour = BuildLinearOfSumOfFour();

    private static float[] BuildLinearOfSumOfFour()
    {
        var t = new float[4 * 255 + 1];
        for (var sum = 0; sum < t.Length; sum++) t[sum] = ToLinear(sum / 4f);
        return t;
    }

    // Nearest entry of the quarter-level table: patch means are averages, and a quarter level is far
    // below anything a check measures; no interpolation keeps the patch pass cheap.
    private static float ToLinear(float v) => Linear[LinearIndex(v)];

    private static int LinearIndex(float v) => (int)(Math.Clamp(v, 0f, 255f) * (1024f / 255f) + 0.5f);

    public static Lab ToLab(float r, float g, float b)
    {
        var (x, y, z) = Xyz(ToLinear(r), ToLinear(g), ToLinear(b));
        var fx = F(x);
        var fy = F(y);
        var fz = F(z);
        return new Lab(116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    private static (float X, float Y, float Z) Xyz(float rl, float gl, float bl) =>
        ((0.4124564f * rl + 0.3575761f * gl + 0.1804375f * bl) / 0.95047f,
         0.2126729f * rl + 0.7151522f * gl + 0.0721750f * bl,
         (0.0193339f * rl + 0.1191920f * gl + 0.9503041f * bl) / 1.08883f);

    /// <summary>
    /// Linear light of patch means of four 8-bit values, straight from their sums (0–1020): the entry
    /// <see cref="ToLab(float, float, float)"/> takes for <c>sum / 4f</c>, found once here instead of per patch.
    /// </summary>
    internal static void LinearFromSumsOfFour(ReadOnlySpan<int> sums, Span<float> linear)
    {
        var table = LinearOfSumOfFour;
        for (var p = 0; p < linear.Length; p++) linear[p] = table[sums[p]];
    }

    /// <summary>sRGB values (0–255) to linear light, in place; <paramref name="index"/> is scratch of the same length.</summary>
    internal static void Linearise(Span<float> v, Span<int> index)
    {
        var p = 0;
        if (Vector.IsHardwareAccelerated)
            for (; p + Vector<float>.Count <= v.Length; p += Vector<float>.Count)
                Vector.ConvertToInt32(Vector.Min(Vector.Max(new Vector<float>(v[p..]), Vector<float>.Zero), new Vector<float>(255f)) * (1024f / 255f)
                    + new Vector<float>(0.5f)).CopyTo(index[p..]);
        for (; p < v.Length; p++) index[p] = LinearIndex(v[p]);
        for (p = 0; p < v.Length; p++) v[p] = Linear[index[p]];
    }

    /// <summary>
    /// The rest of <see cref="ToLab(float, float, float)"/> for planes of linear red, green and blue:
    /// XYZ and the table positions of f(t) with vectors, then the table entries and L*a*b* one colour at a
    /// time. The same float operations in the same order as the single conversion (separate multiplies and
    /// adds, the same divisions, the same entries), so every colour is bit-identical to it.
    /// <paramref name="index"/> is scratch of three times the length.
    /// </summary>
    internal static void LinearToLab(ReadOnlySpan<float> r, ReadOnlySpan<float> g, ReadOnlySpan<float> b, Span<int> index, Span<Lab> lab)
    {
        var n = lab.Length;
        var ix = index[..n];
        var iy = index.Slice(n, n);
        var iz = index.Slice(2 * n, n);
        var p = 0;
        if (Vector.IsHardwareAccelerated)
            for (; p + Vector<float>.Count <= n; p += Vector<float>.Count)
            {
                var rl = new Vector<float>(r[p..]);
                var gl = new Vector<float>(g[p..]);
                var bl = new Vector<float>(b[p..]);
                FIndex((rl * 0.4124564f + gl * 0.3575761f + bl * 0.1804375f) / new Vector<float>(0.95047f)).CopyTo(ix[p..]);
                FIndex(rl * 0.2126729f + gl * 0.7151522f + bl * 0.0721750f).CopyTo(iy[p..]);
                FIndex((rl * 0.0193339f + gl * 0.1191920f + bl * 0.9503041f) / new Vector<float>(1.08883f)).CopyTo(iz[p..]);
            }
        for (; p < n; p++)
        {
            var (x, y, z) = Xyz(r[p], g[p], b[p]);
            (ix[p], iy[p], iz[p]) = (FIndex(x), FIndex(y), FIndex(z));
        }
        var table = FTable;
        for (p = 0; p < n; p++)
        {
            float fx = table[ix[p]], fy = table[iy[p]], fz = table[iz[p]];
            lab[p] = new Lab(116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz));
        }
    }

    private static Vector<int> FIndex(Vector<float> t) =>
        Vector.ConvertToInt32(Vector.Min(Vector.Max(t, Vector<float>.Zero), new Vector<float>(FMax)) * (FSteps / FMax) + new Vector<float>(0.5f));

    // The CIELAB f(t) tabulated over 0–1.25 (X/Xn of sRGB colours stays below 1.1), nearest entry:
    // error below 3e-4 in f (0.03 in L*), and the cube root no longer dominates the patch pass.
    private const int FSteps = 16384;
    private const float FMax = 1.25f;
    private static readonly float[] FTable = BuildF();

    private static float[] BuildF()
    {
        var t = new float[FSteps + 2];
        for (var i = 0; i < t.Length; i++)
        {
            var v = i * (double)FMax / FSteps;
            t[i] = (float)(v > 0.008856 ? Math.Cbrt(v) : 7.787 * v + 16.0 / 116);
        }
        return t;
    }

    private static float F(float t) => FTable[FIndex(t)];

    private static int FIndex(float t) => (int)(Math.Clamp(t, 0f, FMax) * (FSteps / FMax) + 0.5f);
}
