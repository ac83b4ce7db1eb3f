using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        var patches = new PatchBlock(g, band);
        if (patches.Count == 0) return;
        var backdrop = photo.Background.Median;
        int clothing = 0, blue = 0;
        foreach (var p in patches)
        {
            var c = g.Color[p];
            if (Lab.DeltaE76(c, backdrop) < o.MinDeltaEFromBackground) continue;
            clothing++;
            if (IsBlue(c, o.BlueMinChroma)) blue++;
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

    /// <summary>
    /// Chroma above the minimum and hue 200°–310°. Such a hue needs b* &lt; 0 (for b* ≥ 0, or −0, atan2 lies in
    /// 0°–180°), so the arctangent is taken only for those.
    /// </summary>
    internal static bool IsBlue(Lab c, double minChroma) => c.B < 0 && c.Chroma > minChroma && c.Hue is >= 200 and <= 310;

    /// <summary>Median alternations per 100 px over every other row.</summary>
    internal static double AlongRows(ReadOnlySpan<byte> luma, int width, int height)
    {
        if (width < 20 || height == 0) return 0;
        var n = (height + 1) / 2;
        var rented = n > 1024 ? ArrayPool<float>.Shared.Rent(n) : null;
        var counts = rented is null ? stackalloc float[n] : rented.AsSpan(0, n);
        for (var y = 0; y < height; y += 2)
        {
            var row = luma.Slice(y * width, width);
            var (min, max) = Range(row);
            counts[y / 2] = 100f * Alternations(row, min, max) / width;
        }
        var median = Stats.Median(counts);
        if (rented is not null) ArrayPool<float>.Shared.Return(rented);
        return median;
    }

    /// <summary>Median alternations per 100 px over every other column.</summary>
    internal static double AlongColumns(ReadOnlySpan<byte> luma, int width, int height)
    {
        if (height < 20 || width == 0) return 0;
        // Every column's darkest and lightest value, a vector of columns per step down the rows: a column
        // whose whole range is too small to hold a pattern is never copied out.
        Span<byte> min = width <= 2048 ? stackalloc byte[width] : new byte[width];
        Span<byte> max = width <= 2048 ? stackalloc byte[width] : new byte[width];
        luma[..width].CopyTo(min);
        luma[..width].CopyTo(max);
        for (var y = 1; y < height; y++) MinMax(luma.Slice(y * width, width), min, max);
        Span<byte> line = height <= 1024 ? stackalloc byte[height] : new byte[height];
        var n = (width + 1) / 2;
        var rented = n > 1024 ? ArrayPool<float>.Shared.Rent(n) : null;
        var counts = rented is null ? stackalloc float[n] : rented.AsSpan(0, n);
        counts.Clear();
        for (var x = 0; x < width; x += 2)
        {
            if (max[x] - min[x] < 2 * Swing) continue; // counts[x / 2] stays 0, as Alternations would say
            for (var y = 0; y < height; y++) line[y] = luma[y * width + x];
            counts[x / 2] = 100f * Alternations(line, min[x], max[x]) / height;
        }
        var median = Stats.Median(counts);
        if (rented is not null) ArrayPool<float>.Shared.Return(rented);
        return median;
    }

    /// <summary>The smallest and largest byte of a line.</summary>
    private static (int Min, int Max) Range(ReadOnlySpan<byte> line)
    {
        var x = 0;
        int min = 255, max = 0;
        if (Vector.IsHardwareAccelerated && line.Length >= Vector<byte>.Count)
        {
            var vmin = new Vector<byte>(line);
            var vmax = vmin;
            for (x = Vector<byte>.Count; x + Vector<byte>.Count <= line.Length; x += Vector<byte>.Count)
            {
                var v = new Vector<byte>(line[x..]);
                vmin = Vector.Min(vmin, v);
                vmax = Vector.Max(vmax, v);
            }
            for (var i = 0; i < Vector<byte>.Count; i++)
            {
                min = Math.Min(min, vmin[i]);
                max = Math.Max(max, vmax[i]);
            }
        }
        for (; x < line.Length; x++)
        {
            min = Math.Min(min, line[x]);
            max = Math.Max(max, line[x]);
        }
        return (min, max);
    }

    /// <summary>min = min(min, row) and max = max(max, row), element by element.</summary>
    private static void MinMax(ReadOnlySpan<byte> row, Span<byte> min, Span<byte> max)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
            for (; x + Vector<byte>.Count <= row.Length; x += Vector<byte>.Count)
            {
                var v = new Vector<byte>(row[x..]);
                Vector.Min(new Vector<byte>(min[x..]), v).CopyTo(min[x..]);
                Vector.Max(new Vector<byte>(max[x..]), v).CopyTo(max[x..]);
            }
        for (; x < row.Length; x++)
        {
            if (row[x] < min[x]) min[x] = row[x];
            if (row[x] > max[x]) max[x] = row[x];
        }
    }

    /// <summary>
    /// Crossings between the light and the dark quarter of the line's range (hysteresis, so noise does not count),
    /// the range being the line's 10th to 90th percentile. <paramref name="min"/> and <paramref name="max"/> are
    /// the line's darkest and lightest values: a line whose whole range is under twice the swing has no pattern,
    /// whatever its percentiles.
    /// </summary>
    internal static int Alternations(ReadOnlySpan<byte> line, int min, int max)
    {
        // Its 10th and 90th percentile lie between min and max, so they cannot be 2 x Swing apart either.
        if (max - min < 2 * Swing) return 0;
        // The values at ranks n/10 and 9n/10: the smallest value with more than that many at or below it.
        var lo = SmallestWithMoreAtOrBelow(line, line.Length / 10, min, max);
        var hi = SmallestWithMoreAtOrBelow(line, line.Length * 9 / 10, min, max);
        if (hi - lo < 2 * Swing) return 0;
        var mid = (lo + hi) / 2;
        var quarter = (hi - lo) / 4;
        return Crossings(line, (byte)(mid + quarter), (byte)(mid - quarter));
    }

    /// <summary>
    /// The smallest v in [<paramref name="min"/>, <paramref name="max"/>] with more than <paramref name="rank"/>
    /// values of the line at or below it (the value at that 0-based rank), by halving the interval: eight
    /// counts of a vector of bytes at a time instead of a histogram filled byte by byte.
    /// </summary>
    private static int SmallestWithMoreAtOrBelow(ReadOnlySpan<byte> line, int rank, int min, int max)
    {
        // Every value is at or below max, and line.Length > rank.
        while (min < max)
        {
            var mid = (min + max) / 2;
            if (CountAtOrBelow(line, (byte)mid) > rank) max = mid;
            else min = mid + 1;
        }
        return min;
    }

    private static int CountAtOrBelow(ReadOnlySpan<byte> line, byte value)
    {
        var count = 0;
        var x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(value);
            ref var start = ref MemoryMarshal.GetReference(line);
            for (; x + 32 <= line.Length; x += 32)
                count += BitOperations.PopCount(Vector256.LessThanOrEqual(Vector256.LoadUnsafe(ref start, (nuint)x), v).ExtractMostSignificantBits());
        }
        for (; x < line.Length; x++) count += line[x] <= value ? 1 : 0;
        return count;
    }

    /// <summary>
    /// How often the line goes from light (≥ <paramref name="light"/>) to dark (≤ <paramref name="dark"/>) or back,
    /// whatever lies between. 32 bytes per step where the CPU has vectors: their light and dark bits, and only the
    /// switches from the current side to the other are looked for, so a step that stays on one side costs nothing
    /// beyond its two comparisons.
    /// </summary>
    internal static int Crossings(ReadOnlySpan<byte> line, byte light, byte dark)
    {
        var state = 0; // +1 light, -1 dark, 0 neither yet
        var count = 0;
        var x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var l = Vector256.Create(light);
            var d = Vector256.Create(dark);
            ref var start = ref MemoryMarshal.GetReference(line);
            for (; x + 32 <= line.Length; x += 32)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)x);
                var lightBits = Vector256.GreaterThanOrEqual(v, l).ExtractMostSignificantBits();
                var darkBits = Vector256.LessThanOrEqual(v, d).ExtractMostSignificantBits();
                while (true)
                {
                    // The next byte on the other side (on either side, before the first).
                    var other = state > 0 ? darkBits : state < 0 ? lightBits : lightBits | darkBits;
                    if (other == 0) break;
                    var at = BitOperations.TrailingZeroCount(other);
                    if (state != 0) count++;
                    state = (lightBits >> at & 1) != 0 ? 1 : -1;
                    // Everything up to and including that byte is behind.
                    var ahead = at == 31 ? 0u : ~0u << (at + 1);
                    lightBits &= ahead;
                    darkBits &= ahead;
                }
            }
        }
        for (; x < line.Length; x++)
        {
            var v = line[x];
            var now = v >= light ? 1 : v <= dark ? -1 : 0;
            if (now == 0 || now == state) continue;
            if (state != 0) count++;
            state = now;
        }
        return count;
    }
}
