using System.Buffers;

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
        var centres = PatchCentres.Of(g);
        var residual = ArrayPool<float>.Shared.Rent((patches.Count + 1) / 2);
        var n = 0;
        for (var i = 0; i < patches.Count; i += 2, n++)
        {
            var p = patches[i];
            var (x, y) = centres.At(p);
            residual[n] = Lab.DeltaE76(g.Color[p], new Lab(fl.At(x, y), fa.At(x, y), fb.At(x, y)));
        }
        var spread = Stats.PercentileOfNonNegative(residual.AsSpan(0, n), 95);
        ArrayPool<float>.Shared.Return(residual);
        var limit = photo.Options.Background.MaxSpread;
        photo.Evidence.Note($"BG SPREAD P95 DE {Format.N(spread)}");
        if (spread > limit)
            findings.Add(Code, $"ΔE {Format.N(spread)} (95th percentile from the smooth backdrop)", $"≤ {Format.N(limit)}");
    }
}
