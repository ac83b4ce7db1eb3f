using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        var fit = SurfaceFit.FitLightness(photo.Patches, bg.Far, quadratic: false, stride: 2);
        if (fit is null) return;
        var limit = photo.Options.Background.MaxShadow;
        var (worst, side, marked) = Outline(photo, fit, limit);
        photo.Evidence.Note($"OUTLINE DARKER BY L {Format.N(worst)} ({(side == "" ? "NONE" : side.ToUpperInvariant())})");
        if (marked is not null)
        {
            photo.Evidence.Mark(marked, Rgb.Magenta);
            findings.Add(Code, $"ΔL* {Format.N(worst)} darker along the outline ({side} side)", $"≤ {Format.N(limit)}");
        }
    }

    /// <summary>
    /// The outline band's median darkening on its darkest side (top, left or right of the head; 0 and "" when no
    /// side has 15 patches), and when that is over the limit, that side's patches darker than the limit.
    /// </summary>
    internal static (float Worst, string Side, List<int>? Marked) Outline(PhotoAnalysis photo, SurfaceFit fit, double limit)
    {
        var s = photo.Silhouette;
        var g = photo.Patches;
        // Above the head, left of it and right of it are judged apart: a shadow falls on one side. The head's
        // top is the row of the first patch of the person.
        var firstOfPerson = s.IsSubject.AsSpan(0, Math.Clamp(s.ShoulderRow * g.Cols, 0, s.IsSubject.Length)).IndexOf(true);
        var headTop = firstOfPerson >= 0 ? g.RowOf[firstOfPerson] : s.ShoulderRow;
        // Rows run in order, so the patches above the shoulders are the first ShoulderRow x Cols.
        var aboveShoulders = Math.Clamp(s.ShoulderRow * g.Cols, 0, s.Distance.Length);
        // Each side's band patches in order, and how much darker each is than the fit: three segments of
        // aboveShoulders, then room for a copy to take a median of.
        var patches = ArrayPool<int>.Shared.Rent(Math.Max(1, 3 * aboveShoulders));
        var darkening = ArrayPool<float>.Shared.Rent(Math.Max(1, 4 * aboveShoulders));
        try
        {
            var counts = new int[3];
            OutlineBand(photo, fit, headTop, aboveShoulders, patches, darkening, counts);
            var worst = 0f;
            var worstSide = -1;
            var scratch = darkening.AsSpan(3 * aboveShoulders, aboveShoulders);
            for (var side = 0; side < 3; side++)
            {
                if (counts[side] < 15) continue;
                var values = scratch[..counts[side]];
                darkening.AsSpan(side * aboveShoulders, counts[side]).CopyTo(values);
                var median = Stats.Median(values);
                if (median > worst) (worst, worstSide) = (median, side);
            }
            if (!(worst > limit)) return (worst, worstSide < 0 ? "" : SideNames[worstSide], null);
            if (worstSide < 0) return (worst, "", []); // a limit below 0: nothing is marked
            var marked = new List<int>();
            var from = worstSide * aboveShoulders;
            for (var i = from; i < from + counts[worstSide]; i++)
                if (darkening[i] > limit) marked.Add(patches[i]);
            return (worst, SideNames[worstSide], marked);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(patches);
            ArrayPool<float>.Shared.Return(darkening);
        }
    }

    private static readonly string[] SideNames = ["top", "left", "right"];

    /// <summary>
    /// The patches above the shoulders at BandFrom–BandTo patches from the outline that are smooth enough to be a
    /// cast shadow, in patch order, into their side's segment (0 top, 1 left, 2 right; each
    /// <paramref name="segment"/> long) with how much darker each is than the fitted backdrop. Distances are
    /// scanned eight per step where the CPU has vectors: the band is a thin ring among thousands of patches.
    /// </summary>
    private static void OutlineBand(PhotoAnalysis photo, SurfaceFit fit, int headTop, int segment, int[] patches, float[] darkening, int[] counts)
    {
        var s = photo.Silhouette;
        var g = photo.Patches;
        var centres = PatchCentres.Of(g);
        var distance = s.Distance.AsSpan(0, segment);
        var p = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var from = Vector256.Create(BandFrom);
            var width = Vector256.Create((uint)(BandTo - BandFrom));
            ref var d = ref MemoryMarshal.GetReference(distance);
            for (; p + 8 <= distance.Length; p += 8)
            {
                // BandFrom ≤ distance ≤ BandTo, as one unsigned comparison per lane.
                var inBand = Vector256.LessThanOrEqual((Vector256.LoadUnsafe(ref d, (nuint)p) - from).AsUInt32(), width);
                for (var mask = inBand.ExtractMostSignificantBits(); mask != 0; mask &= mask - 1)
                    Visit(p + BitOperations.TrailingZeroCount(mask));
            }
        }
        for (; p < distance.Length; p++)
            if ((uint)(distance[p] - BandFrom) <= BandTo - BandFrom) Visit(p);

        void Visit(int p)
        {
            // A cast shadow is smooth; textured patches here are stray hair or JPEG ringing, not shadow.
            if (g.LumaStdDev[p] > SmoothPatchStdDev) return;
            var side = g.RowOf[p] < headTop ? 0 : g.Centre(p).X < s.HeadCentreX ? 1 : 2;
            var i = side * segment + counts[side]++;
            var (nx, ny) = centres.At(p);
            patches[i] = p;
            darkening[i] = fit.At(nx, ny) - g.Color[p].L;
        }
    }
}
