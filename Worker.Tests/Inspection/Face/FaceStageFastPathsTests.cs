using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>
/// The face stage's own pixel work (flags, bulk CIELAB and luma reads) against the straightforward computation it
/// replaced, on every photo of the pinned-verdict set (the real calibration photos, their derived defects, the drawn
/// portraits), with the face where the detector put it and moved half out of the frame at each corner (reads clamped
/// at the edges): the same numbers, bit for bit.
/// </summary>
[Collection(FaceCollection.Name)]
public sealed class FaceStageFastPathsTests(FaceDetectorFixture f)
{
    private sealed record Case(string Name, PhotoAnalysis Photo, FacePixels Pixels, FaceLandmarks Refined, FaceLandmarks Detected);

    private IEnumerable<Case> Cases()
    {
        foreach (var (name, bytes) in PinnedVerdictsTests.PinnedPhotos())
        {
            using var image = Image.Load<Rgb24>(bytes);
            var rgb = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(rgb);
            var photo = new PhotoAnalysis(image.Width, image.Height, rgb, new InspectionOptions());
            var px = new FacePixels(rgb, image.Width, image.Height);
            foreach (var face in f.Detector.Detect(image))
            {
                var l = face.Landmarks;
                // As found; a fraction of a pixel off; and with each corner of the face's surroundings outside the frame.
                var moves = new (float X, float Y)[]
                {
                    (0, 0), (0.37f, -0.61f),
                    (-l.RightEarTragion.X, -l.RightEye.Y + 3.5f),
                    (image.Width - l.LeftEarTragion.X, image.Height - l.Mouth.Y - 2.25f),
                };
                foreach (var (dx, dy) in moves)
                {
                    var moved = Move(l, dx, dy);
                    yield return new Case($"{name} moved {dx},{dy}", photo, px, EyeLocator.Refine(px, moved), moved);
                }
            }
        }
    }

    private static FaceLandmarks Move(FaceLandmarks l, float dx, float dy)
    {
        FacePoint M(FacePoint p) => new(p.X + dx, p.Y + dy);
        return new FaceLandmarks(M(l.RightEye), M(l.LeftEye), M(l.NoseTip), M(l.Mouth), M(l.RightEarTragion), M(l.LeftEarTragion));
    }

    [Fact]
    public void Face_flags_are_the_pixel_by_pixel_measurements_bit_for_bit()
    {
        var compared = 0;
        foreach (var c in Cases())
        {
            var expected = PlainFaceFlags.Measure(c.Pixels, c.Refined, c.Detected, c.Photo.Background.Median);
            var actual = FaceFlagMeasurements.Measure(c.Pixels, c.Refined, c.Detected, c.Photo.Background.Median);
            Assert.True(Same(expected, actual), $"{c.Name}: {actual} instead of {expected}");
            if (expected is not null) compared++;
        }
        Assert.True(compared > 300, $"{compared} faces measured");
    }

    [Fact]
    public void Eye_points_are_the_pixel_by_pixel_refinement_bit_for_bit()
    {
        var compared = 0;
        foreach (var c in Cases())
        {
            var expected = PlainEyeLocator.Refine(c.Pixels, c.Detected);
            Assert.True(expected.RightEye == c.Refined.RightEye && expected.LeftEye == c.Refined.LeftEye,
                $"{c.Name}: {c.Refined.RightEye} {c.Refined.LeftEye} instead of {expected.RightEye} {expected.LeftEye}");
            if (expected.RightEye != c.Detected.RightEye) compared++;
        }
        Assert.True(compared > 300, $"{compared} eyes moved");
    }

    [Fact]
    public void Room_for_another_face_is_the_rule_with_short_circuit_conditions_patch_for_patch()
    {
        var compared = 0;
        var withRoom = 0;
        foreach (var (name, bytes) in PinnedVerdictsTests.PinnedPhotos())
        {
            using var image = Image.Load<Rgb24>(bytes);
            var rgb = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(rgb);
            var s = new PhotoAnalysis(image.Width, image.Height, rgb, new InspectionOptions()).Silhouette;
            foreach (var face in f.Detector.Detect(image))
            {
                var b = face.Box;
                // The face as found, and moved to the left and right edges and down onto the body (other heads, other bodies).
                foreach (var box in new[] { b, b with { Left = -b.Width / 3 }, b with { Left = image.Width - b.Width / 2 }, b with { Top = b.Top + image.Height / 3f } })
                {
                    DetectedFace[] one = [face with { Box = box }];
                    Assert.Equal(PlainSecondFaceRoom.RoomForAnotherFace(s, one), SecondFaceRoom.RoomForAnotherFace(s, one));
                    Assert.Equal(PlainSecondFaceRoom.RoomBlocks(s, one), SecondFaceRoom.RoomBlocks(s, one));
                    Assert.Equal(PlainSecondFaceRoom.Open(s, box), SecondFaceRoom.Open(s, box));
                    Assert.Equal(PlainSecondFaceRoom.Explained(s, box), SecondFaceRoom.Explained(s, box));
                    if (SecondFaceRoom.RoomForAnotherFace(s, one) > 0) withRoom++;
                    compared++;
                }
            }
        }
        Assert.True(compared > 300 && withRoom > 20, $"{compared} boxes, {withRoom} with room");
    }

    [Fact]
    public void Every_colour_of_a_rectangle_is_the_single_pixel_conversion_bit_for_bit()
    {
        // All 2^24 colours, 4096 x 4096, converted 4096 x 8 at a time (vector steps and a scalar tail when the count is odd).
        const int side = 4096;
        var rgb = new byte[side * side * 3];
        for (var i = 0; i < side * side; i++) (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = ((byte)(i >> 16), (byte)(i >> 8), (byte)i);
        var px = new FacePixels(rgb, side, side);
        var lab = new Lab[side * 8];
        for (var y0 = 0; y0 < side; y0 += 8)
        {
            var w = y0 % 16 == 0 ? side : side - 3;
            px.LabRect(0, y0, w, 8, lab);
            for (var k = 0; k < w * 8; k++)
                if (!SameLab(px.Lab(k % w, y0 + k / w), lab[k])) Assert.Fail($"pixel {k % w},{y0 + k / w}: {lab[k]} instead of {px.Lab(k % w, y0 + k / w)}");
        }
    }

    [Fact]
    public void Rectangles_rows_and_single_pixels_read_past_the_frame_as_the_clamped_pixel()
    {
        var rgb = new byte[37 * 23 * 3];
        new Random(18).NextBytes(rgb);
        var px = new FacePixels(rgb, 37, 23);
        // Left of, across, inside and right of the frame; above, in and below it.
        foreach (var (x0, y0, w, h) in new[] { (-9, -4, 50, 30), (-12, 5, 7, 3), (3, 4, 20, 10), (30, 20, 15, 9), (40, -6, 5, 3), (0, 0, 37, 23) })
        {
            var lab = new Lab[w * h];
            px.LabRect(x0, y0, w, h, lab);
            var luma = new byte[w];
            for (var y = 0; y < h; y++)
            {
                px.LumaRow(x0, y0 + y, luma);
                for (var x = 0; x < w; x++)
                {
                    Assert.True(SameLab(px.Lab(x0 + x, y0 + y), lab[y * w + x]), $"{x0 + x},{y0 + y}");
                    Assert.Equal(px.Luma(x0 + x, y0 + y), luma[x]);
                }
            }
            int[] xs = [x0, x0 + w - 1, x0 + w / 2], ys = [y0, y0 + h - 1, y0 + h / 2];
            var some = new Lab[3];
            px.LabAt(xs, ys, some);
            for (var k = 0; k < 3; k++) Assert.True(SameLab(px.Lab(xs[k], ys[k]), some[k]), $"{xs[k]},{ys[k]}");
        }
    }

    [Theory]
    [InlineData(1020, 1440)] // a row of 4x4 patches across 480 px, each column sum at its largest
    [InlineData(65535, 300)] // terms so large each lane holds one
    [InlineData(255, 100_000)] // a run long enough to empty the lanes many times
    [InlineData(1020, 47)] // shorter than three vectors: the plain tail alone
    public void Channel_sums_of_column_sums_are_the_plain_sums(int maxTerm, int length)
    {
        var random = new Random(length);
        foreach (var fill in new Func<int, ushort>[] { _ => (ushort)maxTerm, _ => (ushort)random.Next(maxTerm + 1) })
        {
            var column = new ushort[length];
            for (var i = 0; i < length; i++) column[i] = fill(i);
            long r = 0, g = 0, b = 0;
            for (var i = 0; i + 2 < length; i += 3) (r, g, b) = (r + column[i], g + column[i + 1], b + column[i + 2]);
            if (length % 3 > 0) r += column[length - length % 3];
            if (length % 3 > 1) g += column[length - 1];
            Assert.Equal(((int)r, (int)g, (int)b), RowSums.SumChannels(column, maxTerm));
        }
    }

    [Fact]
    public void Box_means_inside_across_and_outside_the_window_are_the_clamped_ones()
    {
        var rgb = new byte[61 * 47 * 3];
        new Random(7).NextBytes(rgb);
        var px = new FacePixels(rgb, 61, 47);
        var random = new Random(11);
        foreach (var (x0, y0, x1, y1) in new[] { (5, 6, 40, 30), (-8, -3, 20, 12), (45, 35, 70, 55) })
        {
            var fast = px.Window(x0, y0, x1, y1);
            var plain = new PlainEyeLocator.PlainLumaWindow(px, x0, y0, x1, y1);
            for (var k = 0; k < 2000; k++)
            {
                int a = random.Next(x0 - 10, x1 + 10), b = random.Next(y0 - 10, y1 + 10), c = a + random.Next(-3, 15), d = b + random.Next(-3, 15);
                Assert.Equal(plain.Mean(a, b, c, d), fast.Mean(a, b, c, d));
            }
        }
    }

    private static bool SameLab(Lab x, Lab y) =>
        BitConverter.SingleToInt32Bits(x.L) == BitConverter.SingleToInt32Bits(y.L) &&
        BitConverter.SingleToInt32Bits(x.A) == BitConverter.SingleToInt32Bits(y.A) &&
        BitConverter.SingleToInt32Bits(x.B) == BitConverter.SingleToInt32Bits(y.B);

    private static bool Same(FaceFlagMeasurements? x, FaceFlagMeasurements? y)
    {
        if (x is null || y is null) return x is null && y is null;
        static bool D(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);
        static bool F(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b);
        return D(x.GlassesArc, y.GlassesArc) && D(x.GlassesBridge, y.GlassesBridge) && D(x.EyeOpening, y.EyeOpening) &&
            D(x.HairCover, y.HairCover) && D(x.EarCover, y.EarCover) && D(x.Teeth, y.Teeth) && D(x.LipGap, y.LipGap) &&
            F(x.Skin.L, y.Skin.L) && F(x.Skin.A, y.Skin.A) && F(x.Skin.B, y.Skin.B);
    }
}
