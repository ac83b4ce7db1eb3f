using System.Buffers;

namespace CollectionWorker.Inspection.Checks;

/// <summary>
/// A colour cast: the backdrop's hue against its nearest allowed colour (a*b* shift; lightness
/// is the background check's business), and the skin's hue against the range every skin tone
/// falls in. Either one off means the light or the white balance tints the photo.
/// </summary>
public sealed class ColorCastCheck : IPhotoCheck
{
    public const string Code = "COLOR_CAST";

    public int Order => 210;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Code, Severity.Review, "照片偏色（白平衡不准），请重拍或校正颜色，不要加滤镜。",
            "The photo has a colour cast (white balance off); reshoot or correct the colour, no filters."),
    ];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var o = photo.Options;
        var bg = photo.Background;
        if (bg.Found && bg.DeltaE <= o.Background.MaxDeltaE)
        {
            var reference = bg.NearestLab;
            var da = bg.Median.A - reference.A;
            var db = bg.Median.B - reference.B;
            // Against white or gray any chroma is a tint; against light blue a paler or deeper blue is a
            // legitimate shade, so only a turn of hue (ΔH*) counts as a cast there.
            var shift = reference.Chroma < 5 ? bg.Median.Chroma : HueDifference(bg.Median, reference);
            photo.Evidence.Note($"BG HUE SHIFT {Format.N(shift)}");
            if (shift > o.Background.MaxCast)
            {
                findings.Add(Code, $"background {(reference.Chroma < 5 ? "chroma" : "ΔH*")} {Format.N(shift)} towards {Direction(da, db)}", $"≤ {Format.N(o.Background.MaxCast)}");
                return;
            }
        }

        var s = photo.Silhouette;
        var g = photo.Patches;
        // Skin: the person's chromatic patches in the face region (hair, brows and eyes are near-neutral or dark).
        var face = new PatchBlock(g, photo.FaceRegion);
        var hues = ArrayPool<float>.Shared.Rent(Math.Max(1, face.Count));
        var skin = 0;
        foreach (var p in face)
        {
            var c = g.Color[p];
            if (!(s.IsSubject[p] && c.Chroma > 6 && c.L > 15)) continue;
            var h = c.Hue;
            hues[skin++] = h > 270 ? h - 360 : h;
        }
        var hue = skin < 20 ? float.NaN : Stats.Median(hues.AsSpan(0, skin));
        ArrayPool<float>.Shared.Return(hues);
        if (skin < 20) return;
        photo.Evidence.Note($"SKIN HUE {Format.N(hue, "0")} DEG");
        if (hue < o.Light.MinSkinHue || hue > o.Light.MaxSkinHue)
        {
            var tint = hue < o.Light.MinSkinHue ? "magenta/blue" : "green/yellow";
            findings.Add(Code, $"skin hue {Format.N(hue, "0")}° (towards {tint})", $"{Format.N(o.Light.MinSkinHue, "0")}°–{Format.N(o.Light.MaxSkinHue, "0")}°");
        }
    }

    /// <summary>CIELAB hue difference ΔH* = 2·√(C1·C2)·sin(Δh/2): the part of the colour difference that is a turn of hue.</summary>
    private static float HueDifference(Lab x, Lab y)
    {
        var dh = (x.Hue - y.Hue) * MathF.PI / 180;
        return MathF.Abs(2 * MathF.Sqrt(x.Chroma * y.Chroma) * MathF.Sin(dh / 2));
    }

    private static string Direction(float da, float db) =>
        Math.Abs(da) >= Math.Abs(db) ? (da > 0 ? "red/magenta" : "green") : (db > 0 ? "yellow" : "blue");
}
