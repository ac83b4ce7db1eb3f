using CollectionWorker.Inspection.Face;
using CollectionWorker.Tests.Inspection.RealFaces;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>
/// The network inputs <see cref="NetworkInput"/> fills (column sums in 16-bit vectors, cell runs, vectorised
/// scaling) against the plain definition written out here: every source pixel under a cell added one by
/// one, pixels outside the photo black, and the same float expression. Bit for bit, on the real calibration
/// photos, for every input the detector fills: the 128 whole photo, the crop of the second pass, the 128/256 pair.
/// </summary>
[Collection(FaceCollection.Name)]
public sealed class NetworkInputOnRealPhotosTests(FaceDetectorFixture f)
{
    public static TheoryData<string> Photos() => CalibrationSet.Names();

    [Theory]
    [MemberData(nameof(Photos))]
    public void Every_input_of_a_real_photo_is_bit_for_bit_the_plain_area_average(string name)
    {
        using var image = Image.Load<Rgb24>(CalibrationSet.Get(name).File);
        var packed = new byte[image.Width * image.Height * 3];
        image.Frames.RootFrame.CopyPixelDataTo(packed);
        var whole = SquareRegion.Letterbox(image.Width, image.Height);

        // The crop the detector's second pass sees: twice the face box around its centre (fractional edges, 3–4 px cells).
        var face = f.Detector.Detect(image)[0].Box;
        var crop = SquareRegion.Around(face.CenterX, face.CenterY, MathF.Max(face.Width, face.Height) * 2);
        // And one half outside the photo (the top-left corner): clipped columns and rows.
        var corner = SquareRegion.Around(10.3f, 20.7f, 333.3f);

        foreach (var pixels in new[] { new RgbPixels(packed, image.Width, image.Height), RgbPixels.From(image) })
        {
            foreach (var (region, size) in new[] { (whole, 128), (whole, 256), (crop, 128), (corner, 128) })
            {
                var tensor = new float[size * size * 3];
                NetworkInput.Fill(pixels, region, size, tensor);
                AssertSame(Plain(pixels, region, size), tensor, $"{name} {region} {size}");
            }

            float[] small = new float[128 * 128 * 3], large = new float[256 * 256 * 3];
            Assert.True(NetworkInput.TryFillPair(pixels, whole, 128, small, large));
            AssertSame(Plain(pixels, whole, 128), small, $"{name} pair 128");
            AssertSame(Plain(pixels, whole, 256), large, $"{name} pair 256");
        }
    }

    [Fact]
    public void Cells_taller_than_a_16_bit_column_sum_holds_are_summed_exactly_too()
    {
        // A region 100 times the photo: each cell is 313 source rows high, more than 257 rows of 255 fit in 16 bits.
        var rgb = new byte[480 * 640 * 3];
        Array.Fill(rgb, (byte)255);
        new Random(18).NextBytes(rgb.AsSpan(0, rgb.Length / 2));
        var pixels = new RgbPixels(rgb, 480, 640);
        var region = new SquareRegion(-7.5f, 0, 40000);

        var tensor = new float[128 * 128 * 3];
        NetworkInput.Fill(pixels, region, 128, tensor);

        AssertSame(Plain(pixels, region, 128), tensor, "tall cells");
        Assert.True(tensor[0] > -1f); // the photo is in the first cell: not all black
    }

    [Theory]
    [InlineData(1984f)] // 15.5 px cells: 15 or 16 rows of runs of 15 columns, the most 16-bit run sums hold (16 x 16 x 255)
    [InlineData(2112f)] // 16.5 px cells: too large for them, summed column by column
    public void Cells_at_the_limit_of_16_bit_run_sums_are_summed_exactly_too(float side)
    {
        var rgb = new byte[480 * 640 * 3];
        Array.Fill(rgb, (byte)255);
        new Random(18).NextBytes(rgb.AsSpan(0, rgb.Length / 3));
        var pixels = new RgbPixels(rgb, 480, 640);
        var region = new SquareRegion(-700.25f, -600.5f, side);

        var tensor = new float[128 * 128 * 3];
        NetworkInput.Fill(pixels, region, 128, tensor);

        AssertSame(Plain(pixels, region, 128), tensor, $"{side} px side");
    }

    /// <summary>The area average by its definition: cell (ox, oy) covers [round(left + ox step), round(left + (ox + 1) step)) at least one pixel wide.</summary>
    private static float[] Plain(RgbPixels image, SquareRegion region, int size)
    {
        var tensor = new float[size * size * 3];
        var step = region.Side / size;
        int Edge(float start, int i) => (int)MathF.Round(start + i * step);
        for (var oy = 0; oy < size; oy++)
        {
            int ya = Edge(region.Top, oy), yb = Math.Max(Edge(region.Top, oy + 1), ya + 1);
            for (var ox = 0; ox < size; ox++)
            {
                int xa = Edge(region.Left, ox), xb = Math.Max(Edge(region.Left, ox + 1), xa + 1);
                int r = 0, g = 0, b = 0;
                for (var y = ya; y < yb; y++)
                {
                    if (y < 0 || y >= image.Height) continue;
                    var row = image.Row(y);
                    for (var x = xa; x < xb; x++)
                    {
                        if (x < 0 || x >= image.Width) continue;
                        r += row[x * 3];
                        g += row[x * 3 + 1];
                        b += row[x * 3 + 2];
                    }
                }
                var scale = 1f / (127.5f * ((yb - ya) * (xb - xa)));
                var o = (oy * size + ox) * 3;
                tensor[o] = r * scale - 1f;
                tensor[o + 1] = g * scale - 1f;
                tensor[o + 2] = b * scale - 1f;
            }
        }
        return tensor;
    }

    private static void AssertSame(float[] expected, float[] actual, string what)
    {
        for (var i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{what}: float {i} (cell {i / 3}, channel {i % 3}) is {actual[i]:R}, the plain average {expected[i]:R}");
    }
}
