using System.Buffers;

namespace CollectionWorker.Inspection.Checks;

/// <summary>
/// Exposure of the face: median CIELAB lightness of the person inside the face region, and the
/// share of blown-out or crushed pixels there. The lightness band is wide enough for every skin
/// tone: well-lit dark skin sits near L* 35–50, light skin near 65–80.
/// </summary>
public sealed class ExposureCheck : IPhotoCheck
{
    public const string Dark = "EXPOSURE_DARK";
    public const string Bright = "EXPOSURE_BRIGHT";
    public const string Clipped = "EXPOSURE_CLIPPED";

    public int Order => 200;

    /// <summary>Luma of the face's brightest 1% above which the face counts as exposed, however dark the skin.</summary>
    private const int ExposedHighlight = 100;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Dark, Severity.Review, "面部太暗（曝光不足），请在照明充足的照相馆重拍。", "The face is too dark (under-exposed); reshoot with proper lighting."),
        new(Bright, Severity.Review, "面部太亮（曝光过度），请重拍或调低曝光。", "The face is too bright (over-exposed); reshoot or lower the exposure."),
        new(Clipped, Severity.Review, "面部有大片死白或死黑（细节丢失），请调整灯光重拍。", "Parts of the face are blown out or crushed to black (detail lost); adjust the lights and reshoot."),
    ];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        BackdropDarkness(photo, findings);
        var region = photo.FaceRegion;
        if (region.IsEmpty) return;
        var s = photo.Silhouette;
        var g = photo.Patches;
        var inRegion = new PatchBlock(g, region);
        var face = ArrayPool<float>.Shared.Rent(Math.Max(1, inRegion.Count));
        var count = 0;
        foreach (var p in inRegion)
            if (s.IsSubject[p]) face[count++] = g.Color[p].L;
        var lightness = count < 20 ? float.NaN : Stats.Median(face.AsSpan(0, count));
        ArrayPool<float>.Shared.Return(face);
        if (count < 20) return;

        Span<int> histogram = stackalloc int[256];
        var total = SubjectLuma(photo, region, histogram);
        // The blown-out and crushed pixels, as counted pixel by pixel: the histogram's two ends.
        int bright = 0, dark = 0;
        for (var v = 250; v < 256; v++) bright += histogram[v];
        for (var v = 0; v <= 5; v++) dark += histogram[v];
        var clipped = total == 0 ? 0 : 100.0 * Math.Max(bright, dark) / total;

        var o = photo.Options.Light;
        photo.Evidence.Region(region, Rgb.Yellow, $"FACE L {Format.N(lightness, "0")}");
        // A very dark face is dark skin, not a dark photo, when its highlights (eye whites, catchlights, the
        // shine on the forehead) are still bright: under-exposure darkens them with everything else.
        var highlight = 255;
        for (int v = 255, seen = 0; v >= 0; v--)
            if ((seen += histogram[v]) >= total / 100) { highlight = v; break; }
        if (lightness < o.MinFaceLightness && highlight < ExposedHighlight && !findings.Has(Dark))
            findings.Add(Dark, $"face L* {Format.N(lightness)}, brightest 1% at luma {highlight}", $"≥ {Format.N(o.MinFaceLightness)}, or highlights ≥ {ExposedHighlight}");
        if (lightness > o.MaxFaceLightness)
            findings.Add(Bright, $"face L* {Format.N(lightness)}", $"≤ {Format.N(o.MaxFaceLightness)}");
        if (clipped > o.MaxClippedPercent)
            findings.Add(Clipped, $"{Format.N(clipped)}% of the face {(bright >= dark ? "blown out" : "crushed to black")}", $"≤ {Format.N(o.MaxClippedPercent)}%");
    }

    /// <summary>Histogram of the luma of the region's pixels that lie in a patch of the person; returns how many there are.</summary>
    internal static int SubjectLuma(PhotoAnalysis photo, PixelRect region, Span<int> histogram)
    {
        var s = photo.Silhouette;
        var g = photo.Patches;
        using var luma = RectLuma.Of(photo, region);
        var total = 0;
        Span<(int From, int To)> runs = stackalloc (int, int)[(region.Width + g.Size - 1) / g.Size + 1];
        for (var y = region.Y; y < region.Bottom;)
        {
            // One patch row at a time: the runs of pixels along it that lie in patches of the person.
            var patchRow = y / g.Size;
            var rowBase = patchRow * g.Cols;
            var n = 0;
            for (var x = 0; x < region.Width;)
            {
                var col = (region.X + x) / g.Size;
                var end = Math.Min(region.Width, (col + 1) * g.Size - region.X);
                if (s.IsSubject[rowBase + col])
                {
                    if (n > 0 && runs[n - 1].To == x) runs[n - 1].To = end;
                    else runs[n++] = (x, end);
                }
                x = end;
            }
            var rowsEnd = Math.Min(region.Bottom, (patchRow + 1) * g.Size);
            for (; y < rowsEnd; y++)
            {
                var row = luma.Row(y - region.Y);
                foreach (var (from, to) in runs[..n])
                {
                    foreach (var v in row[from..to]) histogram[v]++;
                    total += to - from;
                }
            }
        }
        return total;
    }

    /// <summary>
    /// The whole photo under-exposed: the face alone cannot tell (a darkened light face looks like
    /// well-lit darker skin), but the backdrop can — every allowed backdrop is light, and one whose hue
    /// is right but whose lightness is far below its reference was photographed too dark. A backdrop of
    /// the wrong colour is the colour check's business.
    /// </summary>
    private static void BackdropDarkness(PhotoAnalysis photo, FindingSink findings)
    {
        var bg = photo.Background;
        var o = photo.Options;
        // A black-and-white photo has lost the backdrop's hue too; it is rejected for that, not for its light.
        if (!bg.Found || bg.DeltaE > o.Background.MaxDeltaE || findings.Has(FileFindings.ColorDepth)) return;
        var darker = bg.NearestLab.L - bg.Median.L;
        if (darker > o.Light.MaxBackdropDarkening)
            findings.Add(Dark, $"backdrop L* {Format.N(bg.Median.L)}, {Format.N(darker)} below {bg.Nearest.Name}: the whole photo is too dark",
                $"≤ {Format.N(o.Light.MaxBackdropDarkening)} below the reference");
    }
}
