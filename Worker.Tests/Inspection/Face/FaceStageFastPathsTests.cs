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
