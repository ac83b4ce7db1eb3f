using System.Buffers;

namespace CollectionWorker.Inspection.Checks;

/// <summary>
/// A shadow cast on the backdrop: the band just outside the person's outline, compared with what
/// the backdrop's own trend (fitted far from the outline) predicts there. Hair is part of the
/// person, so dark hair at the edge never counts as shadow.
/// </summary>
public sealed class ShadowCheck : IPhotoCheck
{
    public const string Code = "BG_SHADOW";
    private const int BandFrom = 2;
    private const int BandTo = 5;
    private const float SmoothPatchStdDev = 5;

    public int Order => 130;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Code, Severity.Review, "人像边缘的背景上有阴影，请调整灯光（人离背景远一些、补光背景）。",
            "There is a shadow on the background along the outline; adjust the lights (step away from the backdrop, light it)."),
    ];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var bg = photo.Background;
        if (!bg.Found || bg.Far.Count < 60) return;
        var s = photo.Silhouette;
        var g = photo.Patches;
        var fit = SurfaceFit.FitLightness(g, bg.Far, quadratic: false, stride: 2);
        if (fit is null) return;

        // Above the head, left of it and right of it are judged apart: a shadow falls on one side.
        var headTop = s.ShoulderRow;
        for (var p = 0; p < s.ShoulderRow * g.Cols; p++)
            if (s.IsSubject[p])
            {
                headTop = g.RowOf[p];
                break;
            }
        var top = new List<(int Patch, float Darkening)>();
        var left = new List<(int Patch, float Darkening)>();
        var right = new List<(int Patch, float Darkening)>();
        var centres = PatchCentres.Of(g);
        // Rows run in order, so the patches above the shoulders are the first ShoulderRow x Cols.
        var aboveShoulders = Math.Min(s.Distance.Length, s.ShoulderRow * g.Cols);
        for (var p = 0; p < aboveShoulders; p++)
        {
            if ((uint)(s.Distance[p] - BandFrom) > BandTo - BandFrom) continue; // BandFrom ≤ distance ≤ BandTo
            // A cast shadow is smooth; textured patches here are stray hair or JPEG ringing, not shadow.
            if (g.LumaStdDev[p] > SmoothPatchStdDev) continue;
            var (nx, ny) = centres.At(p);
            var darkening = fit.At(nx, ny) - g.Color[p].L;
            var x = g.Centre(p).X;
            (g.RowOf[p] < headTop ? top : x < s.HeadCentreX ? left : right).Add((p, darkening));
        }
        var worst = 0f;
        var side = "";
        List<(int Patch, float Darkening)> worstBand = [];
        foreach (var (band, name) in new[] { (top, "top"), (left, "left"), (right, "right") })
        {
            if (band.Count < 15) continue;
            var median = MedianDarkening(band);
            if (median > worst) (worst, side, worstBand) = (median, name, band);
        }
        var limit = photo.Options.Background.MaxShadow;
        photo.Evidence.Note($"OUTLINE DARKER BY L {Format.N(worst)} ({(side == "" ? "NONE" : side.ToUpperInvariant())})");
        if (worst > limit)
        {
            photo.Evidence.Mark(worstBand.Where(b => b.Darkening > limit).Select(b => b.Patch).ToList(), Rgb.Magenta);
            findings.Add(Code, $"ΔL* {Format.N(worst)} darker along the outline ({side} side)", $"≤ {Format.N(limit)}");
        }
    }

    private static float MedianDarkening(List<(int Patch, float Darkening)> band)
    {
        var values = ArrayPool<float>.Shared.Rent(band.Count);
        for (var i = 0; i < band.Count; i++) values[i] = band[i].Darkening;
        var median = Stats.Median(values.AsSpan(0, band.Count));
        ArrayPool<float>.Shared.Return(values);
        return median;
    }
}
