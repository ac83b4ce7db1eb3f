using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CollectionWorker.Tests.Inspection.RealFaces;

/// <summary>
/// The 256 network is asked only where the backdrop leaves room for another face: on a plain real portrait
/// there is none, and a real photo pasted beside the head or onto the shoulders is room — and is still
/// found and rejected as a second face by the inspection as it ships.
/// </summary>
public sealed class SecondFaceRoomTests : IDisposable
{
    private readonly FaceDetector _detector = new(new FaceOptions());
    private readonly InspectionOptions _options = new();

    [Theory]
    [InlineData("london_118_neutral.jpg")]
    [InlineData("london_125_neutral.jpg")]
    [InlineData("london_132_neutral.jpg")]
    public void A_plain_portrait_leaves_no_room_for_another_face(string name)
    {
        using var image = Image.Load<Rgb24>(CalibrationSet.Get(name).Bytes());
        Assert.Equal(0, Room(image, out var faces));
        Assert.Single(faces);
    }

    [Theory]
    [InlineData("london_118_neutral.jpg", "london_125_neutral.jpg", 0.2f, "beside-head")]
    [InlineData("london_118_neutral.jpg", "london_125_neutral.jpg", 0.2f, "bottom-right")]
    [InlineData("london_132_neutral.jpg", "london_140_neutral.jpg", 0.2f, "top-left")]
    [InlineData("london_125_neutral.jpg", "london_172_neutral.jpg", 0.3f, "beside-head")]
    public void A_photo_pasted_into_the_photo_is_room_and_is_still_rejected_as_a_second_face(string host, string guest, float scale, string place)
    {
        using var image = Image.Load<Rgb24>(CalibrationSet.Get(host).Bytes());
        using var small = Image.Load<Rgb24>(CalibrationSet.Get(guest).Bytes());
        small.Mutate(x => x.Resize((int)(image.Width * scale), (int)(image.Height * scale)));
        var at = place switch
        {
            "top-left" => new Point(8, 8),
            "bottom-right" => new Point(image.Width - small.Width - 8, image.Height - small.Height - 8),
            _ => new Point(image.Width - small.Width - 8, (int)(image.Height * 0.3f) - small.Height / 2),
        };
        image.Mutate(x => x.DrawImage(small, at, 1f));

        Assert.True(Room(image, out _) > 0, $"{guest} at {scale:P0} {place} on {host} left no room");
        var inspector = new PhotoInspector(_options, PhotoInspector.BuiltInChecks()
            .Append(new FaceCheck(_detector, Microsoft.Extensions.Options.Options.Create(new FaceOptions()))));
        var result = inspector.Inspect(Derive.Jpeg(image), $"{host}+{guest}.jpg", annotate: false);
        Assert.Contains(result.Findings, f => f.Code == FaceRules.SeveralFaces && f.Value == "2 faces");
    }

    [Fact]
    public void Without_a_face_everywhere_is_room()
    {
        using var image = new Image<Rgb24>(480, 640, new Rgb24(100, 197, 255));
        Assert.True(Room(image, out var faces) > 0);
        Assert.Empty(faces);
    }

    private int Room(Image<Rgb24> image, out IReadOnlyList<DetectedFace> faces)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        var photo = new PhotoAnalysis(image.Width, image.Height, rgb, _options);
        var room = -1;
        faces = _detector.Detect(new RgbPixels(rgb, image.Width, image.Height), found => (room = SecondFaceRoom.RoomForAnotherFace(photo.Silhouette, found)) > 0);
        return room;
    }

    public void Dispose() => _detector.Dispose();
}
