using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CollectionWorker.Inspection.Checks;

/// <summary>
/// Blotches and patchy backdrops: each far-from-outline patch's colour against a smooth
/// (quadratic) model of the backdrop, so a gentle gradient or vignette is not counted here.
/// </summary>
public sealed class BackgroundUniformityCheck : IPhotoCheck
{
    public const string Code = "BG_UNIFORMITY";

    public int Order => 110;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Code, Severity.Review, "背景不均匀（有斑块或明暗不一），请使用平整、均匀照明的纯色背景。",
            "The background is not uniform (blotches or patches); use a smooth, evenly lit plain backdrop."),
    ];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var bg = photo.Background;
        if (!bg.Found) return;
        var patches = bg.Far.Count >= 60 ? bg.Far : bg.Sample;
        var g = photo.Patches;
        if (SurfaceFit.FitLab(g, patches, quadratic: true, stride: 4) is not var (fl, fa, fb)) return;

        // Every other patch: a blotch spans many patches, so the percentile does not need all of them.
        var residual = ArrayPool<float>.Shared.Rent((patches.Count + 1) / 2);
        var n = Residuals(g, patches, fl, fa, fb, residual);
        var spread = Stats.PercentileOfNonNegative(residual.AsSpan(0, n), 95);
        ArrayPool<float>.Shared.Return(residual);
        var limit = photo.Options.Background.MaxSpread;
        photo.Evidence.Note($"BG SPREAD P95 DE {Format.N(spread)}");
        if (spread > limit)
            findings.Add(Code, $"ΔE {Format.N(spread)} (95th percentile from the smooth backdrop)", $"≤ {Format.N(limit)}");
    }

    /// <summary>
    /// CIE76 distance of every other listed patch's colour from the smooth backdrop at its centre, as
    /// <c>Lab.DeltaE76(colour, new Lab(l.At(x, y), a.At(x, y), b.At(x, y)))</c> computes it. Eight patches per
    /// step where the CPU has 256-bit vectors: the surfaces in doubles four lanes at a time with the scalar
    /// expression's operations in its order, narrowed to floats as the cast does, then the distance in floats.
    /// </summary>
    internal static int Residuals(PatchGrid g, List<int> patches, SurfaceFit l, SurfaceFit a, SurfaceFit b, Span<float> residual)
    {
        var centres = PatchCentres.Of(g);
        var indices = CollectionsMarshal.AsSpan(patches);
        var n = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Span<float> x = stackalloc float[8], y = stackalloc float[8];
            Span<float> cl = stackalloc float[8], ca = stackalloc float[8], cb = stackalloc float[8];
            var sl = new Surface(l);
            var sa = new Surface(a);
            var sb = new Surface(b);
            for (; i + 14 < indices.Length; i += 16, n += 8)
            {
                for (var k = 0; k < 8; k++)
                {
                    var p = indices[i + 2 * k];
                    (x[k], y[k]) = centres.At(p);
                    var c = g.Color[p];
                    (cl[k], ca[k], cb[k]) = (c.L, c.A, c.B);
                }
                var (x0, x1) = Vector256.Widen(Vector256.Create<float>(x));
                var (y0, y1) = Vector256.Widen(Vector256.Create<float>(y));
                var dl = Vector256.Create<float>(cl) - Vector256.Narrow(sl.At(x0, y0), sl.At(x1, y1));
                var da = Vector256.Create<float>(ca) - Vector256.Narrow(sa.At(x0, y0), sa.At(x1, y1));
                var db = Vector256.Create<float>(cb) - Vector256.Narrow(sb.At(x0, y0), sb.At(x1, y1));
                Vector256.Sqrt(dl * dl + da * da + db * db).CopyTo(residual[n..]);
            }
        }
        for (; i < indices.Length; i += 2, n++)
        {
            var p = indices[i];
            var (x, y) = centres.At(p);
            residual[n] = Lab.DeltaE76(g.Color[p], new Lab(l.At(x, y), a.At(x, y), b.At(x, y)));
        }
        return n;
    }

    /// <summary>A fitted surface's six coefficients, each in every lane.</summary>
    private readonly struct Surface(SurfaceFit fit)
    {
        private readonly Vector256<double> _c0 = Vector256.Create(fit.Coefficients[0]), _c1 = Vector256.Create(fit.Coefficients[1]),
            _c2 = Vector256.Create(fit.Coefficients[2]), _c3 = Vector256.Create(fit.Coefficients[3]),
            _c4 = Vector256.Create(fit.Coefficients[4]), _c5 = Vector256.Create(fit.Coefficients[5]);

        /// <summary>SurfaceFit.At before its cast to float: c0 + c1 x + c2 y + c3 x x + c4 y y + c5 x y, left to right.</summary>
        public Vector256<double> At(Vector256<double> x, Vector256<double> y) =>
            _c0 + _c1 * x + _c2 * y + _c3 * x * x + _c4 * y * y + _c5 * x * y;
    }
}
