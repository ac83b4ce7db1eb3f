using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Checks;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// The image checks' fast paths (vector loops, pooled buffers, histograms, selection instead of sorting)
/// against the straightforward computation they replaced, on every photo of the pinned-verdict set
/// (the real calibration photos, their derived defects, the drawn portraits): the same bytes, the same
/// integers, the same floats bit for bit.
/// </summary>
public sealed class CheckFastPathsTests(CheckFastPathsTests.Photos photos) : IClassFixture<CheckFastPathsTests.Photos>
{
    public sealed class Photos
    {
        public IReadOnlyList<(string Name, PhotoAnalysis Photo)> All { get; } = PinnedVerdictsTests.PinnedPhotos()
            .Select(p =>
            {
                using var image = Image.Load<Rgb24>(p.Bytes);
                var rgb = new byte[image.Width * image.Height * 3];
                image.CopyPixelDataTo(rgb);
                return (p.Name, new PhotoAnalysis(image.Width, image.Height, rgb, new InspectionOptions()));
            }).ToList();
    }

    private static IEnumerable<PixelRect> Rects(PhotoAnalysis p)
    {
        yield return p.HeadRegion;
        yield return p.FaceRegion;
        yield return p.ChestBand;
        // Odd widths and offsets: vector steps of 16 pixels with a scalar tail, a rect too narrow for one step, the right edge.
        yield return new PixelRect(1, 3, 17, 5);
        yield return new PixelRect(7, 100, 15, 2);
        yield return new PixelRect(0, p.Height - 4, p.Width, 4);
        yield return new PixelRect(p.Width - 33, 10, 33, 3);
        yield return new PixelRect(2, 9, 55, 3); // 32 + 16 + 7
        yield return new PixelRect(3, 11, 95, 2); // 2 x 32 + 16 + 15
    }

    [Fact]
    public void Pooled_vector_luma_is_the_same_bytes_as_the_photo_analysis_luma()
    {
        var compared = 0;
        foreach (var (name, p) in photos.All)
            foreach (var rect in Rects(p))
            {
                using var fast = RectLuma.Of(p, rect);
                var expected = PlainLuma(p, rect);
                Assert.True(expected.AsSpan().SequenceEqual(fast.Pixels), $"{name} {rect}");
                compared += expected.Length;
            }
        Assert.True(compared > 10_000_000, $"{compared} pixels compared");
    }

    [Fact]
    public void Laplacian_variance_is_the_per_pixel_double_sum_bit_for_bit()
    {
        foreach (var (name, p) in photos.All)
        {
            var r = p.HeadRegion;
            var luma = PlainLuma(p, r);
            var (sum, sum2, n) = SharpnessCheck.Laplacian(luma, r.Width, r.Height);
            var (expectedMean, expectedVariance) = LaplacianByPixel(luma, r.Width, r.Height);
            var mean = (double)sum / n;
            Assert.Equal(expectedMean, mean);
            Assert.Equal(expectedVariance, (double)sum2 / n - mean * mean);
        }
    }

    [Theory]
    [InlineData(3, 3)]
    [InlineData(40, 5)]
    [InlineData(2500, 6)] // a head region of a 6000 px wide photo: the squares' lanes must not overflow
    [InlineData(9000, 4)] // wider than the vector path takes
    public void Laplacian_of_the_harshest_pattern_is_exact(int width, int height)
    {
        // A 0/255 checkerboard: every Laplacian is ±1020, every square the largest there is.
        var luma = new byte[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                luma[y * width + x] = (byte)((x + y) % 2 == 0 ? 255 : 0);
        var (sum, sum2, n) = SharpnessCheck.Laplacian(luma, width, height);
        var (expectedMean, expectedVariance) = LaplacianByPixel(luma, width, height);
        Assert.Equal((long)(width - 2) * (height - 2), n);
        Assert.Equal(1020L * 1020 * n, sum2);
        Assert.Equal(expectedMean, (double)sum / n);
        Assert.Equal(expectedVariance, (double)sum2 / n - (double)sum / n * ((double)sum / n));
    }

    /// <summary>The check as it was: each pixel's Laplacian summed into doubles.</summary>
    private static (double Mean, double Variance) LaplacianByPixel(byte[] luma, int w, int h)
    {
        double sum = 0, sum2 = 0;
        long n = 0;
        for (var y = 1; y < h - 1; y++)
            for (var x = 1; x < w - 1; x++)
            {
                var i = y * w + x;
                var lap = 4 * luma[i] - luma[i - 1] - luma[i + 1] - luma[i - w] - luma[i + w];
                sum += lap;
                sum2 += lap * lap;
                n++;
            }
        var mean = sum / n;
        return (mean, sum2 / n - mean * mean);
    }

    [Fact]
    public void Face_luma_histogram_counts_the_same_pixels_as_the_pixel_by_pixel_loop()
    {
        foreach (var (name, p) in photos.All)
            foreach (var region in new[] { p.FaceRegion, p.HeadRegion, new PixelRect(3, 5, 101, 37) })
            {
                var histogram = new int[256];
                var total = ExposureCheck.SubjectLuma(p, region, histogram);
                var (expected, expectedTotal) = SubjectLumaByPixel(p, region);
                Assert.Equal(expectedTotal, total);
                Assert.True(expected.AsSpan().SequenceEqual(histogram), name);
            }
    }

    private static (int[] Histogram, int Total) SubjectLumaByPixel(PhotoAnalysis p, PixelRect region)
    {
        var g = p.Patches;
        var luma = PlainLuma(p, region);
        var histogram = new int[256];
        var total = 0;
        for (var y = region.Y; y < region.Bottom; y++)
            for (var x = region.X; x < region.Right; x++)
            {
                if (!p.Silhouette.IsSubject[y / g.Size * g.Cols + x / g.Size]) continue;
                histogram[luma[(y - region.Y) * region.Width + x - region.X]]++;
                total++;
            }
        return (histogram, total);
    }

    [Fact]
    public void Selected_percentile_is_the_value_the_sort_puts_at_the_rank()
    {
        var random = new Random(18);
        var cases = new List<float[]>();
        foreach (var (_, p) in photos.All.Take(40))
        {
            cases.Add(p.Patches.Color.Select(c => c.L).ToArray());
            cases.Add(p.Patches.Color.Select(c => c.Hue).ToArray());
            cases.Add(p.Patches.LumaStdDev.ToArray());
        }
        foreach (var n in new[] { 1, 2, 3, 5, 10, 101, 1000 })
        {
            cases.Add(Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray());
            cases.Add(Enumerable.Range(0, n).Select(_ => (float)random.Next(4)).ToArray()); // many equal values
            cases.Add(Enumerable.Range(0, n).Select(i => (float)i).ToArray());
            cases.Add(Enumerable.Range(0, n).Select(i => (float)-i).ToArray());
        }
        // NaN and signed zeros: left to the sort itself.
        cases.Add([3, float.NaN, 1, float.NaN, -2]);
        cases.Add([0f, -0f, 0f, -0f, 1f, -1f]);
        cases.Add([0f, 0f, 2f, -3f]);

        foreach (var values in cases)
            foreach (var percent in new[] { 0, 1, 5, 10, 50, 90, 95, 98, 100 })
            {
                var sorted = values.ToArray();
                Array.Sort(sorted);
                var expected = sorted[Math.Clamp((int)Math.Ceiling(percent / 100.0 * values.Length) - 1, 0, values.Length - 1)];
                var actual = Stats.Percentile(values.ToArray(), percent);
                Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
            }
    }

    [Fact]
    public void Patch_centres_by_table_are_the_normalised_centres()
    {
        foreach (var (_, p) in photos.All.Take(10))
        {
            var centres = PatchCentres.Of(p.Patches);
            for (var i = 0; i < p.Patches.Color.Length; i++)
                Assert.Equal(p.Patches.Normalised(i), centres.At(i));
        }
    }

    [Fact]
    public void Surface_fits_have_the_coefficients_of_the_k_by_k_normal_equations_bit_for_bit()
    {
        var fitted = 0;
        foreach (var (name, p) in photos.All)
        {
            var bg = p.Background;
            foreach (var patches in new[] { bg.Far, bg.Sample })
            {
                // The shapes the checks use (plane of L* every 2nd patch, quadratic of L*a*b* every 4th), and the others.
                foreach (var (quadratic, stride) in new[] { (false, 2), (true, 4), (true, 1), (false, 3) })
                {
                    var l = SurfaceFit.FitLightness(p.Patches, patches, quadratic, stride);
                    var lab = SurfaceFit.FitLab(p.Patches, patches, quadratic, stride);
                    var expectedL = FitByMatrix(p.Patches, patches, c => c.L, quadratic, stride);
                    var expectedA = FitByMatrix(p.Patches, patches, c => c.A, quadratic, stride);
                    var expectedB = FitByMatrix(p.Patches, patches, c => c.B, quadratic, stride);
                    Assert.Equal(expectedL, l?.Coefficients);
                    Assert.Equal(expectedL, lab?.L.Coefficients);
                    Assert.Equal(expectedA, lab?.A.Coefficients);
                    Assert.Equal(expectedB, lab?.B.Coefficients);
                    if (expectedL is not null) fitted++;
                }
            }
            Assert.True(fitted > 0, name);
        }
    }

    [Fact]
    public void Uniformity_residuals_by_vector_are_the_patch_by_patch_distances_bit_for_bit()
    {
        var compared = 0;
        foreach (var (name, p) in photos.All)
        {
            var bg = p.Background;
            foreach (var patches in new[] { bg.Far, bg.Sample, bg.Far.Take(17).ToList(), bg.Sample.Take(31).ToList() })
            {
                if (SurfaceFit.FitLab(p.Patches, bg.Sample, quadratic: true, stride: 4) is not var (l, a, b)) continue;
                var residual = new float[(patches.Count + 1) / 2];
                Assert.Equal(residual.Length, BackgroundUniformityCheck.Residuals(p.Patches, patches, l, a, b, residual));
                for (int i = 0, n = 0; i < patches.Count; i += 2, n++)
                {
                    var patch = patches[i];
                    var (x, y) = p.Patches.Normalised(patch);
                    var expected = Lab.DeltaE76(p.Patches.Color[patch], new Lab(l.At(x, y), a.At(x, y), b.At(x, y)));
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(residual[n]), $"{name} patch {patch}: {residual[n]} instead of {expected}");
                    compared++;
                }
            }
        }
        Assert.True(compared > 100_000, $"{compared} residuals compared");
    }

    /// <summary>The fit as it was: all k x k products summed into a 2-D matrix per sample, then the elimination.</summary>
    private static double[]? FitByMatrix(PatchGrid grid, IReadOnlyList<int> patches, Func<Lab, float> channel, bool quadratic, int stride)
    {
        var k = quadratic ? 6 : 3;
        if (patches.Count / stride < k * 4) return null;
        var ata = new double[k, k];
        var atb = new double[k];
        var t = new double[6];
        for (var n = 0; n < patches.Count; n += stride)
        {
            var p = patches[n];
            var (x, y) = grid.Normalised(p);
            t[0] = 1; t[1] = x; t[2] = y; t[3] = x * x; t[4] = y * y; t[5] = x * y;
            double v = channel(grid.Color[p]);
            for (var i = 0; i < k; i++)
            {
                atb[i] += t[i] * v;
                for (var j = 0; j < k; j++) ata[i, j] += t[i] * t[j];
            }
        }
        // The elimination itself did not change; only the sums did.
        return SurfaceFit.Solve(ata, atb, k);
    }

    [Fact]
    public void Patch_block_walks_the_patches_the_photo_lists_in_their_order()
    {
        var walked = 0;
        foreach (var (name, p) in photos.All)
        {
            var band = p.ChestBand;
            var f = p.FaceRegion;
            var rects = Rects(p).Concat(
            [
                band, f, new PixelRect(0, 0, p.Width, p.Height), new PixelRect(0, 0, 0, 0), new PixelRect(5, 5, 0, 9), new PixelRect(5, 5, 9, 0),
                new PixelRect(p.Width - 1, p.Height - 1, 1, 1), new PixelRect(p.Width, p.Height, 0, 0), new PixelRect(3, 3, 1, 1),
                // The cheek halves the lighting check measures.
                PixelRect.FromEdges(f.X, f.Y + (int)(f.Height * 0.35), f.X + f.Width / 2 - f.Width / 10, f.Y + (int)(f.Height * 0.9), p.Width, p.Height),
                PixelRect.FromEdges(f.X + f.Width / 2 + f.Width / 10, f.Y + (int)(f.Height * 0.35), f.Right, f.Y + (int)(f.Height * 0.9), p.Width, p.Height),
            ]);
            foreach (var rect in rects)
            {
                var expected = PatchesIn(p.Patches, rect);
                var block = new PatchBlock(p.Patches, rect);
                var actual = new List<int>();
                foreach (var patch in block) actual.Add(patch);
                Assert.Equal(expected, actual);
                Assert.Equal(expected.Count, block.Count);
                walked += actual.Count;
            }
        }
        Assert.True(walked > 1_000_000, $"{walked} patches walked");
    }

    /// <summary>The patches covering a rectangle, as a list (the checks' way before PatchBlock; kept as its reference).</summary>
    private static List<int> PatchesIn(PatchGrid g, PixelRect rect)
    {
        var list = new List<int>();
        for (var r = rect.Y / g.Size; r < Math.Min(g.Rows, (rect.Bottom + g.Size - 1) / g.Size); r++)
            for (var c = rect.X / g.Size; c < Math.Min(g.Cols, (rect.Right + g.Size - 1) / g.Size); c++)
                list.Add(g.Index(c, r));
        return list;
    }

    [Fact]
    public void Shadow_outline_is_the_patch_by_patch_measure_with_lists()
    {
        var over = 0;
        foreach (var (name, p) in photos.All)
        {
            var bg = p.Background;
            if (!bg.Found || bg.Far.Count < 60 || SurfaceFit.FitLightness(p.Patches, bg.Far, quadratic: false, stride: 2) is not { } fit) continue;
            var (expectedWorst, expectedSide, band) = OutlineByLists(p, fit);
            // The shipped limit, and limits low enough that the worst side's patches are marked.
            foreach (var limit in new[] { new InspectionOptions().Background.MaxShadow, 1.0, 0.0, -1.0 })
            {
                var (worst, side, marked) = ShadowCheck.Outline(p, fit, limit);
                Assert.Equal(BitConverter.SingleToInt32Bits(expectedWorst), BitConverter.SingleToInt32Bits(worst));
                Assert.Equal(expectedSide, side);
                if (expectedWorst > limit)
                {
                    Assert.Equal(band.Where(b => b.Darkening > limit).Select(b => b.Patch), marked!);
                    over++;
                }
                else Assert.Null(marked);
            }
        }
        Assert.True(over > photos.All.Count, $"only {over} outlines over the limit");
    }

    /// <summary>The shadow measure as it was: a list per side, filled patch by patch, each side's median by sorting.</summary>
    private static (float Worst, string Side, List<(int Patch, float Darkening)> Band) OutlineByLists(PhotoAnalysis p, SurfaceFit fit)
    {
        var s = p.Silhouette;
        var g = p.Patches;
        var headTop = s.ShoulderRow;
        for (var i = 0; i < s.ShoulderRow * g.Cols; i++)
            if (s.IsSubject[i])
            {
                headTop = g.RowOf[i];
                break;
            }
        var sides = new[] { (Name: "top", Band: new List<(int Patch, float Darkening)>()), ("left", []), ("right", []) };
        for (var i = 0; i < Math.Min(s.Distance.Length, s.ShoulderRow * g.Cols); i++)
        {
            if (s.Distance[i] < 2 || s.Distance[i] > 5 || g.LumaStdDev[i] > 5) continue;
            var (nx, ny) = g.Normalised(i);
            var side = g.RowOf[i] < headTop ? 0 : g.Centre(i).X < s.HeadCentreX ? 1 : 2;
            sides[side].Band.Add((i, fit.At(nx, ny) - g.Color[i].L));
        }
        var (worst, worstName, worstBand) = (0f, "", new List<(int, float)>());
        foreach (var (name, band) in sides)
        {
            if (band.Count < 15) continue;
            var sorted = band.Select(b => b.Darkening).Order().ToArray();
            var median = sorted[(int)Math.Ceiling(0.5 * sorted.Length) - 1];
            if (median > worst) (worst, worstName, worstBand) = (median, name, band);
        }
        return (worst, worstName, worstBand);
    }

    [Fact]
    public void Clothing_alternations_are_the_line_by_line_histogram_counts()
    {
        var patterned = 0;
        foreach (var (_, p) in photos.All)
        {
            var band = p.ChestBand;
            var centre = PixelRect.FromEdges((int)(0.2 * p.Width), band.Y, (int)(0.8 * p.Width), band.Bottom, p.Width, p.Height);
            // The check's own band, and the head (hair, eyes, outline) for lines that do alternate.
            // Widths and heights off the 32-byte step too (a vector part and a scalar tail).
            foreach (var rect in new[] { centre, p.HeadRegion, new PixelRect(5, 7, 19, 40), new PixelRect(5, 7, 40, 19), new PixelRect(1, p.Height / 3, 301, 77) })
            {
                var luma = PlainLuma(p, rect);
                var rows = ClothingCheck.AlongRows(luma, rect.Width, rect.Height);
                var columns = ClothingCheck.AlongColumns(luma, rect.Width, rect.Height);
                Assert.Equal(AlongRowsByCopy(luma, rect.Width, rect.Height), rows);
                Assert.Equal(AlongColumnsByCopy(luma, rect.Width, rect.Height), columns);
                if (rows > 0 || columns > 0) patterned++;
            }
        }
        Assert.True(patterned >= photos.All.Count, $"only {patterned} rects with alternating lines");
        // Stripes: the pattern the check exists for.
        var stripes = new byte[300 * 80];
        for (var i = 0; i < stripes.Length; i++) stripes[i] = (byte)((i % 300 / 6 + i / 300 / 5) % 2 == 0 ? 40 : 200);
        Assert.Equal(AlongRowsByCopy(stripes, 300, 80), ClothingCheck.AlongRows(stripes, 300, 80));
        Assert.Equal(AlongColumnsByCopy(stripes, 300, 80), ClothingCheck.AlongColumns(stripes, 300, 80));
        Assert.True(ClothingCheck.AlongRows(stripes, 300, 80) > 10);
        // Noisy stripes of odd sizes: many lines whose light and dark bytes fall in every position of a vector.
        var random = new Random(300);
        foreach (var (w, h) in new[] { (301, 77), (33, 65), (95, 31) })
        {
            var noisy = new byte[w * h];
            for (var i = 0; i < noisy.Length; i++)
                noisy[i] = (byte)Math.Clamp((i % w / (2 + i / w % 5) + i / w / 3) % 2 * 120 + 60 + random.Next(-50, 51), 0, 255);
            Assert.Equal(AlongRowsByCopy(noisy, w, h), ClothingCheck.AlongRows(noisy, w, h));
            Assert.Equal(AlongColumnsByCopy(noisy, w, h), ClothingCheck.AlongColumns(noisy, w, h));
            Assert.True(AlongRowsByCopy(noisy, w, h) > 0 && AlongColumnsByCopy(noisy, w, h) > 0, $"{w}x{h} has no alternations");
        }
    }

    // The clothing pattern measure as it was: each line copied out, a full 256-bin histogram, ranks walked from 0.
    private static double AlongRowsByCopy(byte[] luma, int width, int height)
    {
        if (width < 20) return 0;
        var line = new byte[width];
        var counts = new List<float>();
        for (var y = 0; y < height; y += 2)
        {
            Array.Copy(luma, y * width, line, 0, width);
            counts.Add(100f * AlternationsByHistogram(line) / width);
        }
        return counts.Count == 0 ? 0 : Stats.Median(counts.ToArray());
    }

    private static double AlongColumnsByCopy(byte[] luma, int width, int height)
    {
        if (height < 20) return 0;
        var line = new byte[height];
        var counts = new List<float>();
        for (var x = 0; x < width; x += 2)
        {
            for (var y = 0; y < height; y++) line[y] = luma[y * width + x];
            counts.Add(100f * AlternationsByHistogram(line) / height);
        }
        return counts.Count == 0 ? 0 : Stats.Median(counts.ToArray());
    }

    private static int AlternationsByHistogram(byte[] line)
    {
        var histogram = new int[256];
        foreach (var v in line) histogram[v]++;
        int Rank(int rank)
        {
            for (int v = 0, seen = 0; v < 256; v++)
                if ((seen += histogram[v]) > rank) return v;
            return 255;
        }
        int lo = Rank(line.Length / 10), hi = Rank(line.Length * 9 / 10);
        if (hi - lo < 36) return 0;
        var mid = (lo + hi) / 2;
        var quarter = (hi - lo) / 4;
        int state = 0, count = 0;
        foreach (var v in line)
        {
            var now = v >= mid + quarter ? 1 : v <= mid - quarter ? -1 : 0;
            if (now == 0 || now == state) continue;
            if (state != 0) count++;
            state = now;
        }
        return count;
    }

    [Fact]
    public void Chroma_percentile_is_the_histogram_of_every_patch_chroma()
    {
        var percents = new[] { 0, 2, 50, 95, 98, 100 };
        var random = new Random(98);
        var sets = photos.All.Select(p => p.Photo.Patches.Color).ToList();
        sets.Add(new Lab[500]); // no colour at all
        sets.Add(Enumerable.Range(0, 999).Select(_ => new Lab(50, (float)(random.NextDouble() - 0.5) * 600, (float)(random.NextDouble() - 0.5) * 600)).ToArray()); // past the 200 cap
        sets.Add(Enumerable.Range(0, 3).Select(i => new Lab(50, i, -i)).ToArray());
        sets.Add([new Lab(50, float.NaN, 1), new Lab(50, 3, 4), new Lab(50, float.PositiveInfinity, 0), new Lab(50, 1e30f, 0)]);
        // A flat backdrop (thousands of equal chromas), and a photo whose every 16th patch is the most colourful.
        sets.Add(Enumerable.Range(0, 19_200).Select(i => i % 7 == 0 ? new Lab(50, i % 40, 3) : new Lab(80, -5, -20)).ToArray());
        sets.Add(Enumerable.Range(0, 19_200).Select(i => i % 16 == 0 ? new Lab(50, 90, 90) : new Lab(50, (float)random.NextDouble() * 30, 2)).ToArray());
        foreach (var colors in sets)
            foreach (var percent in percents)
            {
                var chroma = colors.Select(c => c.Chroma).ToArray();
                Assert.Equal(Stats.PercentileOfNonNegative(chroma, percent), GrayscaleCheck.ChromaPercentile(colors, percent));
            }
    }

    [Fact]
    public void Chroma_squares_by_vector_are_the_scalar_squares_bit_for_bit()
    {
        foreach (var (name, p) in photos.All)
            foreach (var length in new[] { p.Patches.Color.Length, 7, 8, 9, 8 * 37 + 5 })
            {
                var colors = p.Patches.Color.AsSpan(0, Math.Min(length, p.Patches.Color.Length));
                var squares = new float[colors.Length];
                Assert.True(GrayscaleCheck.ChromaSquares(colors, squares), name);
                for (var i = 0; i < colors.Length; i++)
                    Assert.Equal(BitConverter.SingleToInt32Bits(colors[i].A * colors[i].A + colors[i].B * colors[i].B), BitConverter.SingleToInt32Bits(squares[i]));
            }
        // A NaN or an infinity anywhere, in the vector part or the tail, is reported.
        foreach (var at in new[] { 0, 5, 8, 15, 16, 17 })
            foreach (var bad in new[] { float.NaN, float.PositiveInfinity, 1e30f })
            {
                var colors = Enumerable.Range(0, 18).Select(i => new Lab(50, i, -i)).ToArray();
                colors[at] = new Lab(50, bad, 1);
                Assert.False(GrayscaleCheck.ChromaSquares(colors, new float[18]), $"{bad} at {at}");
            }
    }

    [Fact]
    public void Sampled_selection_is_the_value_the_sort_puts_at_the_rank()
    {
        var random = new Random(16);
        var cases = new List<(string Name, float[] Values)>();
        foreach (var (name, p) in photos.All.Take(30))
        {
            var squares = new float[p.Patches.Color.Length];
            GrayscaleCheck.ChromaSquares(p.Patches.Color, squares);
            cases.Add((name, squares));
            cases.Add((name + " L", p.Patches.Color.Select(c => c.L).ToArray()));
        }
        foreach (var n in new[] { 1, 63 * 16, 1024, 1025, 5000, 19_200 })
        {
            cases.Add(($"random {n}", Enumerable.Range(0, n).Select(_ => (float)random.NextDouble()).ToArray()));
            cases.Add(($"few values {n}", Enumerable.Range(0, n).Select(_ => (float)random.Next(3)).ToArray()));
            // The sample lies: every 16th value is the largest, so the threshold lands above the rank and the full selection must answer.
            cases.Add(($"sample above {n}", Enumerable.Range(0, n).Select(i => i % 16 == 0 ? 1000f + i : (float)random.NextDouble()).ToArray()));
            cases.Add(($"signed zeros {n}", Enumerable.Range(0, n).Select(i => i % 3 == 0 ? -0f : 0f).ToArray()));
            cases.Add(($"NaN {n}", Enumerable.Range(0, n).Select(i => i % 50 == 0 ? float.NaN : (float)random.NextDouble()).ToArray()));
            // A run of equal values (the sample's threshold) that ends just before the 98th percentile's rank, in order and shuffled:
            // the value at the rank is the first one above the threshold, not the threshold.
            var run = (int)Math.Ceiling(0.98 * n) - 1;
            var edge = Enumerable.Range(0, n).Select(i => i < run ? 1f : 2f + i).ToArray();
            cases.Add(($"run to the rank {n}", edge));
            cases.Add(($"run to the rank, shuffled {n}", edge.OrderBy(_ => random.Next()).ToArray()));
        }
        var ranks = 0;
        foreach (var (name, values) in cases)
        {
            var sorted = values.ToArray();
            Array.Sort(sorted);
            foreach (var percent in new[] { 0.0, 50, 90, 95, 98, 99.5, 100 })
            {
                var rank = Math.Clamp((int)Math.Ceiling(percent / 100 * values.Length) - 1, 0, values.Length - 1);
                var actual = SampledSelect.AtRank(values.ToArray(), rank);
                Assert.True(BitConverter.SingleToInt32Bits(sorted[rank]) == BitConverter.SingleToInt32Bits(actual), $"{name} rank {rank}: {actual} instead of {sorted[rank]}");
                ranks++;
            }
        }
        Assert.True(ranks > 300);
    }

    [Fact]
    public void Blue_without_an_arctangent_for_warm_hues_is_the_same_test()
    {
        var minChroma = new InspectionOptions().Clothing.BlueMinChroma;
        var colors = photos.All.SelectMany(p => p.Photo.Patches.Color).ToList();
        foreach (var a in new[] { -30f, -1f, -0f, 0f, 1e-7f, 30f })
            foreach (var b in new[] { -30f, -1e-7f, -0f, 0f, 1e-7f, 30f })
                colors.Add(new Lab(50, a, b));
        var blue = 0;
        foreach (var c in colors)
        {
            var expected = c.Chroma > minChroma && c.Hue is >= 200 and <= 310;
            Assert.Equal(expected, ClothingCheck.IsBlue(c, minChroma));
            if (expected) blue++;
        }
        Assert.True(blue > 100, $"only {blue} blue patches among {colors.Count}");
    }

    /// <summary>
    /// Rec. 601 luma of a rectangle the straightforward way, pixel by pixel (what the checks computed before
    /// <see cref="RectLuma"/>): the reference the vector path must match.
    /// </summary>
    private static byte[] PlainLuma(PhotoAnalysis p, PixelRect rect)
    {
        var luma = new byte[Math.Max(0, rect.Width * rect.Height)];
        for (var y = 0; y < rect.Height; y++)
        {
            var i = ((rect.Y + y) * p.Width + rect.X) * 3;
            var o = y * rect.Width;
            for (var x = 0; x < rect.Width; x++, i += 3)
                luma[o + x] = (byte)((77 * p.Rgb[i] + 150 * p.Rgb[i + 1] + 29 * p.Rgb[i + 2] + 128) >> 8);
        }
        return luma;
    }
}
