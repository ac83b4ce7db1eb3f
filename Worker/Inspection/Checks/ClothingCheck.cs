namespace CollectionWorker.Inspection.Checks;

/// <summary>
/// Clothing in the band across the chest: too close to the backdrop's colour (the outline
/// vanishes), blue (the notice forbids it), or striped/patterned (light–dark alternations).
/// </summary>
public sealed class ClothingCheck : IPhotoCheck
{
    public const string Blue = "CLOTHING_BLUE";
    public const string LikeBackground = "CLOTHING_LIKE_BACKGROUND";
    public const string Pattern = "CLOTHING_PATTERN";
    // A line whose light and dark ends differ by less than twice this (luma levels) has no pattern.
    private const int Swing = 18;

    public int Order => 300;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Blue, Severity.Review, "不能穿蓝色衣服，请换其他颜色的衣服重拍。", "Blue clothing is not allowed; reshoot wearing another colour."),
        new(LikeBackground, Severity.Review, "衣服颜色与背景太接近，请换与背景明显不同的衣服重拍。",
            "The clothing is too close to the background colour; reshoot in clothing that clearly differs from it."),
        new(Pattern, Severity.Review, "衣服有明显条纹或复杂图案，请换纯色衣服重拍。", "The clothing has strong stripes or a complex pattern; reshoot in plain clothing."),
    ];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var band = photo.ChestBand;
        if (band.IsEmpty) return;
        var o = photo.Options.Clothing;
        var g = photo.Patches;
        var patches = photo.PatchesIn(band);
        if (patches.Count == 0) return;
        var backdrop = photo.Background.Median;
        var clothing = patches.Where(p => Lab.DeltaE76(g.Color[p], backdrop) >= o.MinDeltaEFromBackground).ToList();
        var likeBackground = 100.0 * (patches.Count - clothing.Count) / patches.Count;
        photo.Evidence.Region(band, Rgb.Orange, $"CLOTHING {Format.N(100 - likeBackground, "0")}% DISTINCT");
        if (photo.Background.Found && likeBackground > o.MaxBackgroundLikePercent)
            findings.Add(LikeBackground, $"{Format.N(likeBackground, "0")}% of the chest band matches the background", $"≤ {Format.N(o.MaxBackgroundLikePercent, "0")}%");

        if (clothing.Count >= patches.Count / 10)
        {
            var blue = clothing.Count(p => g.Color[p] is var c && c.Chroma > o.BlueMinChroma && c.Hue is >= 200 and <= 310);
            var bluePercent = 100.0 * blue / clothing.Count;
            if (bluePercent > o.MaxBluePercent)
                findings.Add(Blue, $"{Format.N(bluePercent, "0")}% of the clothing is blue", $"≤ {Format.N(o.MaxBluePercent, "0")}%");
        }

        var centre = PixelRect.FromEdges((int)(0.2 * photo.Width), band.Y, (int)(0.8 * photo.Width), band.Bottom, photo.Width, photo.Height);
        var alternations = Math.Max(AlongRows(photo, centre), AlongColumns(photo, centre));
        photo.Evidence.Note($"CLOTHING ALTERNATIONS {Format.N(alternations)}/100PX");
        if (alternations > o.MaxStripesPer100Px)
            findings.Add(Pattern, $"{Format.N(alternations)} light/dark alternations per 100 px", $"≤ {Format.N(o.MaxStripesPer100Px)}");
    }

    private static double AlongRows(PhotoAnalysis photo, PixelRect r)
    {
        if (r.Width < 20) return 0;
        var line = new byte[r.Width];
        var counts = new List<float>();
        for (var y = r.Y; y < r.Bottom; y += 2)
        {
            Array.Copy(photo.Luma, y * photo.Width + r.X, line, 0, r.Width);
            counts.Add(100f * Alternations(line) / r.Width);
        }
        return counts.Count == 0 ? 0 : Stats.Median(counts.ToArray());
    }

    private static double AlongColumns(PhotoAnalysis photo, PixelRect r)
    {
        if (r.Height < 20) return 0;
        var line = new byte[r.Height];
        var counts = new List<float>();
        for (var x = r.X; x < r.Right; x += 2)
        {
            for (var y = 0; y < r.Height; y++) line[y] = photo.Luma[(r.Y + y) * photo.Width + x];
            counts.Add(100f * Alternations(line) / r.Height);
        }
        return counts.Count == 0 ? 0 : Stats.Median(counts.ToArray());
    }

    /// <summary>Crossings between the light and the dark quarter of the line's range (hysteresis, so noise does not count).</summary>
    private static int Alternations(byte[] line)
    {
        var sorted = (byte[])line.Clone();
        Array.Sort(sorted);
        int lo = sorted[sorted.Length / 10], hi = sorted[sorted.Length * 9 / 10];
        if (hi - lo < 2 * Swing) return 0;
        var mid = (lo + hi) / 2;
        var quarter = (hi - lo) / 4;
        var state = 0;
        var count = 0;
        foreach (var v in line)
        {
            var now = v >= mid + quarter ? 1 : v <= mid - quarter ? -1 : 0;
            if (now == 0 || now == state) continue;
            if (state != 0) count++;
            state = now;
        }
        return count;
    }
}
