using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

[Collection(FaceCollection.Name)]
public sealed class FaceDetectorTests(FaceDetectorFixture f)
{
    [Fact]
    public void A_drawn_portrait_is_one_face_with_its_keypoints_where_they_were_drawn()
    {
        var drawn = new SyntheticFace();
        var faces = f.Detect(drawn, "portrait");

        var face = Assert.Single(faces);
        Assert.Equal(FaceModelKind.Front128, face.Model);
        Assert.InRange(face.Score, 0.75f, 1f);
        AssertNear(drawn.Truth.RightEye, face.Landmarks.RightEye, 6);
        AssertNear(drawn.Truth.LeftEye, face.Landmarks.LeftEye, 6);
        AssertNear(drawn.Truth.Mouth, face.Landmarks.Mouth, 6);
        // BlazeFace puts the nose point a little above the drawn tip and the tragions near the ears' front edge.
        AssertNear(drawn.Truth.NoseTip, face.Landmarks.NoseTip, 0.08f * drawn.FaceWidth);
        AssertNear(drawn.Truth.RightEarTragion, face.Landmarks.RightEarTragion, 0.08f * drawn.FaceWidth);
        AssertNear(drawn.Truth.LeftEarTragion, face.Landmarks.LeftEarTragion, 0.08f * drawn.FaceWidth);
        // The subject's right eye is on the image's left.
        Assert.True(face.Landmarks.RightEye.X < face.Landmarks.LeftEye.X);
    }

    [Theory]
    [InlineData(240, 250, 230)]
    [InlineData(200, 215, 190)]
    [InlineData(290, 290, 280)]
    [InlineData(240, 240, 160)]
    public void Faces_of_other_places_and_sizes_are_found_with_the_eyes_in_place(float centreX, float eyeLineY, float width)
    {
        var drawn = new SyntheticFace { CenterX = centreX, EyeLineY = eyeLineY, FaceWidth = width, HairTop = 0.6f };
        var face = Assert.Single(f.Detect(drawn, $"place-{centreX}-{eyeLineY}-{width}"));
        AssertNear(drawn.Truth.RightEye, face.Landmarks.RightEye, 7);
        AssertNear(drawn.Truth.LeftEye, face.Landmarks.LeftEye, 7);
        AssertNear(drawn.Truth.Mouth, face.Landmarks.Mouth, 8);
    }

    [Fact]
    public void Glasses_do_not_hide_the_face()
    {
        var drawn = new SyntheticFace { Glasses = true };
        var face = Assert.Single(f.Detect(drawn, "glasses"));
        AssertNear(drawn.Truth.RightEye, face.Landmarks.RightEye, 6);
        AssertNear(drawn.Truth.LeftEye, face.Landmarks.LeftEye, 6);
    }

    [Fact]
    public void A_small_second_face_in_the_background_is_found()
    {
        var other = new SyntheticFace { CenterX = 410, EyeLineY = 90, FaceWidth = 70, Body = false };
        var faces = f.Detect(new SyntheticFace { Others = [other] }, "two-faces");

        Assert.Equal(2, faces.Count);
        // Largest first: the portrait, then the small face where it was drawn.
        Assert.True(faces[0].Box.Width > 3 * faces[1].Box.Width);
        AssertNear(FacePoint.Midpoint(other.Truth.RightEye, other.Truth.LeftEye),
            FacePoint.Midpoint(faces[1].Landmarks.RightEye, faces[1].Landmarks.LeftEye), 8);
    }

    [Fact]
    public void The_small_face_needs_the_256_model()
    {
        var other = new SyntheticFace { CenterX = 410, EyeLineY = 90, FaceWidth = 70, Body = false };
        using var frontOnly = new FaceDetector(new FaceOptions { FindSmallFaces = false });
        using var image = new SyntheticFace { Others = [other] }.RenderJpeg(f.Folder, "two-faces-front-only");
        Assert.Single(frontOnly.Detect(image));
    }

    [Theory]
    [InlineData(100, 197, 255)]
    [InlineData(255, 255, 255)]
    [InlineData(240, 240, 240)]
    public void A_plain_background_has_no_face(byte r, byte g, byte b)
    {
        var folder = f.Folder;
        var path = Path.Combine(folder, $"plain-{r}-{g}-{b}.jpg");
        using (var plain = new Image<Rgb24>(480, 640, new Rgb24(r, g, b)))
            plain.SaveAsJpeg(path);
        using var image = Image.Load<Rgb24>(path);
        Assert.Empty(f.Detector.Detect(image));
    }

    [Fact]
    public void Shoulders_without_a_head_are_no_face()
    {
        // Only the body and a bald skin-coloured oval: no eyes, no mouth.
        var path = Path.Combine(f.Folder, "no-features.jpg");
        using (var image = new SyntheticFace().Render())
        {
            for (var y = 150; y < 420; y++)
            for (var x = 110; x < 370; x++)
                image[x, y] = new Rgb24(226, 176, 144);
            image.SaveAsJpeg(path);
        }
        using var decoded = Image.Load<Rgb24>(path);
        Assert.Empty(f.Detector.Detect(decoded));
    }

    [Fact]
    public void A_raw_rgb_buffer_gives_the_same_faces_as_the_image()
    {
        using var image = new SyntheticFace().RenderJpeg(f.Folder, "buffer");
        var bytes = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(bytes);

        var fromImage = f.Detector.Detect(image);
        var fromBuffer = f.Detector.Detect(new RgbPixels(bytes, image.Width, image.Height));

        Assert.Equal(fromImage, fromBuffer);
    }

    [Fact]
    public void Detection_from_several_threads_gives_the_same_answer()
    {
        using var image = new SyntheticFace().RenderJpeg(f.Folder, "threads");
        var pixels = RgbPixels.From(image);
        var expected = f.Detector.Detect(pixels);

        var results = new IReadOnlyList<DetectedFace>[8];
        Parallel.For(0, results.Length, i => results[i] = f.Detector.Detect(pixels));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    internal static void AssertNear(FacePoint expected, FacePoint actual, float tolerance)
    {
        var distance = expected.DistanceTo(actual);
        Assert.True(distance <= tolerance, $"Expected a point within {tolerance:0.0} px of {expected}, got {actual} ({distance:0.0} px away).");
    }
}
