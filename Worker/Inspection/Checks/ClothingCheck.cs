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
        var luma = photo.Luma(centre);
        var alternations = Math.Max(AlongRows(luma, centre.Width, centre.Height), AlongColumns(luma, centre.Width, centre.Height));
        photo.Evidence.Note($"CLOTHING ALTERNATIONS {Format.N(alternations)}/100PX");
        if (alternations > o.MaxStripesPer100Px)
            findings.Add(Pattern, $"{Format.N(alternations)} light/dark alternations per 100 px", $"≤ {Format.N(o.MaxStripesPer100Px)}");
    }

    private static double AlongRows(byte[] luma, int width, int height)
    {
        if (width < 20) return 0;
        var line = new byte[width];
        var counts = new List<float>();
        for (var y = 0; y < height; y += 2)
        {
            Array.Copy(luma, y * width, line, 0, width);
            counts.Add(100f * Alternations(line) / width);
        }
        return counts.Count == 0 ? 0 : Stats.Median(counts.ToArray());
    }

    private static double AlongColumns(byte[] luma, int width, int height)
    {
        if (height < 20) return 0;
        var line = new byte[height];
        var counts = new List<float>();
        for (var x = 0; x < width; x += 2)
        {
            for (var y = 0; y < height; y++) line[y] = luma[y * width + x];
            counts.Add(100f * Alternations(line) / height);
        }
        return counts.Count == 0 ? 0 : Stats.Median(counts.ToArray());
    }

    /// <summary>Crossings between the light and the dark quarter of the line's range (hysteresis, so noise does not count).</summary>
    private static int Alternations(byte[] line)
    {
        Span<int> histogram = stackalloc int[256];
        foreach (var v in line) histogram[v]++;
        int lo = Rank(histogram, line.Length / 10), hi = Rank(histogram, line.Length * 9 / 10);
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

    /// <summary>The value at a 0-based rank of a 256-bin histogram.</summary>
    private static int Rank(Span<int> histogram, int rank)
    {
        for (int v = 0, seen = 0; v < 256; v++)
        {
            seen += histogram[v];
            if (seen > rank) return v;
        }
        return 255;
    }
}
