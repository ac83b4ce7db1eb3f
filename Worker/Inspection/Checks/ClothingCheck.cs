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
        int clothing = 0, blue = 0;
        foreach (var p in patches)
        {
            var c = g.Color[p];
            if (Lab.DeltaE76(c, backdrop) < o.MinDeltaEFromBackground) continue;
            clothing++;
            if (c.Chroma > o.BlueMinChroma && c.Hue is >= 200 and <= 310) blue++;
        }
        var likeBackground = 100.0 * (patches.Count - clothing) / patches.Count;
        photo.Evidence.Region(band, Rgb.Orange, $"CLOTHING {Format.N(100 - likeBackground, "0")}% DISTINCT");
        if (photo.Background.Found && likeBackground > o.MaxBackgroundLikePercent)
            findings.Add(LikeBackground, $"{Format.N(likeBackground, "0")}% of the chest band matches the background", $"≤ {Format.N(o.MaxBackgroundLikePercent, "0")}%");

        if (clothing >= patches.Count / 10)
        {
            var bluePercent = 100.0 * blue / clothing;
            if (bluePercent > o.MaxBluePercent)
                findings.Add(Blue, $"{Format.N(bluePercent, "0")}% of the clothing is blue", $"≤ {Format.N(o.MaxBluePercent, "0")}%");
        }

        var centre = PixelRect.FromEdges((int)(0.2 * photo.Width), band.Y, (int)(0.8 * photo.Width), band.Bottom, photo.Width, photo.Height);
        double alternations;
        using (var luma = RectLuma.Of(photo, centre))
            alternations = Math.Max(AlongRows(luma.Pixels, centre.Width, centre.Height), AlongColumns(luma.Pixels, centre.Width, centre.Height));
        photo.Evidence.Note($"CLOTHING ALTERNATIONS {Format.N(alternations)}/100PX");
        if (alternations > o.MaxStripesPer100Px)
            findings.Add(Pattern, $"{Format.N(alternations)} light/dark alternations per 100 px", $"≤ {Format.N(o.MaxStripesPer100Px)}");
    }

    /// <summary>Median alternations per 100 px over every other row.</summary>
    internal static double AlongRows(ReadOnlySpan<byte> luma, int width, int height)
    {
        if (width < 20 || height == 0) return 0;
        Span<int> histogram = stackalloc int[256];
        var counts = new float[(height + 1) / 2];
        for (var y = 0; y < height; y += 2)
            counts[y / 2] = 100f * Alternations(luma.Slice(y * width, width), histogram) / width;
        return Stats.Median(counts);
    }

    /// <summary>Median alternations per 100 px over every other column.</summary>
    internal static double AlongColumns(ReadOnlySpan<byte> luma, int width, int height)
    {
        if (height < 20 || width == 0) return 0;
        Span<int> histogram = stackalloc int[256];
        Span<byte> line = height <= 1024 ? stackalloc byte[height] : new byte[height];
        var counts = new float[(width + 1) / 2];
        for (var x = 0; x < width; x += 2)
        {
            for (var y = 0; y < height; y++) line[y] = luma[y * width + x];
            counts[x / 2] = 100f * Alternations(line, histogram) / height;
        }
        return Stats.Median(counts);
    }

    /// <summary>
    /// Crossings between the light and the dark quarter of the line's range (hysteresis, so noise does not count).
    /// The 256-bin histogram comes in cleared and goes out cleared; only the bins between the line's darkest
    /// and lightest value are scanned and cleared.
    /// </summary>
    internal static int Alternations(ReadOnlySpan<byte> line, Span<int> histogram)
    {
        int min = 255, max = 0;
        foreach (var v in line)
        {
            histogram[v]++;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        // The values at ranks n/10 and 9n/10, in one walk up from the darkest value.
        int loRank = line.Length / 10, hiRank = line.Length * 9 / 10;
        int lo = -1, hi = 255;
        for (int v = min, seen = 0; v <= max; v++)
        {
            seen += histogram[v];
            if (lo < 0 && seen > loRank) lo = v;
            if (seen > hiRank)
            {
                hi = v;
                break;
            }
        }
        histogram[min..(max + 1)].Clear();
        if (lo < 0) lo = 255;
        if (hi - lo < 2 * Swing) return 0;
        var mid = (lo + hi) / 2;
        var quarter = (hi - lo) / 4;
        int light = mid + quarter, dark = mid - quarter;
        var state = 0;
        var count = 0;
        foreach (var v in line)
        {
            var now = v >= light ? 1 : v <= dark ? -1 : 0;
            if (now == 0 || now == state) continue;
            if (state != 0) count++;
            state = now;
        }
        return count;
    }
}
