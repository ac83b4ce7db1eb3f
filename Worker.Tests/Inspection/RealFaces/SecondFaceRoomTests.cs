using CollectionWorker.Host.Demo;
using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CollectionWorker.Tests.Inspection.RealFaces;

/// <summary>
/// The 256 network is asked only where the backdrop leaves room for another face: on a plain real portrait
/// there is none (hair tufts on the crown, hair hanging wide beside the face, the top of a shoulder beside
/// the neck, a bare neck under a chin shadow are all the one person), and a real photo pasted beside the
/// head, right against the hair, or onto the shoulders is room — and is still found and rejected as a
/// second face by the inspection as it ships.
/// </summary>
public sealed class SecondFaceRoomTests : IDisposable
{
    private readonly FaceDetector _detector = new(new FaceOptions());
    private readonly InspectionOptions _options = new();

    public static TheoryData<string> AllCalibrationPhotos => new(CalibrationSet.All.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(AllCalibrationPhotos))]
    public void A_real_portrait_leaves_no_room_for_another_face(string name)
    {
        // Among them: london_134_smiling and london_140_smiling (tufts on the crown), london_129_neutral (hair
        // flaring out beside the chin), london_139_neutral (a shoulder rising beside the neck), london_126_neutral
        // and london_137_neutral (bare skin below the neck, cut from the face by a shadow under the chin or a crease).
        using var image = Image.Load<Rgb24>(CalibrationSet.Get(name).Bytes());
        Assert.Equal(0, Room(image, out var faces, out _));
        Assert.Single(faces);
    }

    [Theory]
    [InlineData(240, 3)]
    [InlineData(240, 11)]
    [InlineData(255, 19)]
    public void A_striped_shirt_on_a_light_backdrop_leaves_no_room_for_another_face(int backdrop, int seed)
    {
        // The drawn portraits with a striped shirt (InspectionBenchmark's 11 and 19): the light stripes are backdrop
        // to the silhouette and cut the shirt into bands; the body is followed down across them.
        using var image = Image.Load<Rgb24>(PortraitGenerator.Jpeg(new PortraitSpec
        {
            Background = new Rgb((byte)backdrop, (byte)backdrop, (byte)backdrop), Skin = new Rgb(180, 130, 100), Seed = seed, Stripes = 14, Quality = 94,
        }));
        Assert.Equal(0, Room(image, out var faces, out _));
        Assert.Single(faces);
    }

    [Theory]
    [InlineData("london_118_neutral.jpg", "london_125_neutral.jpg", 0.2f, "beside-head")]
    [InlineData("london_118_neutral.jpg", "london_125_neutral.jpg", 0.2f, "bottom-right")]
    [InlineData("london_132_neutral.jpg", "london_140_neutral.jpg", 0.2f, "top-left")]
    [InlineData("london_125_neutral.jpg", "london_172_neutral.jpg", 0.3f, "beside-head")]
    public void A_photo_pasted_into_the_photo_is_room_and_is_still_rejected_as_a_second_face(string host, string guest, float scale, string place)
    {
        using var image = Pasted(host, guest, scale, (image, small) => place switch
        {
            "top-left" => new Point(8, 8),
            "bottom-right" => new Point(image.Width - small.Width - 8, image.Height - small.Height - 8),
            _ => new Point(image.Width - small.Width - 8, (int)(image.Height * 0.3f) - small.Height / 2),
        });

        Assert.True(Room(image, out _, out _) > 0, $"{guest} at {scale:P0} {place} on {host} left no room");
        AssertRejectedAsTwoFaces(image, $"{host}+{guest}.jpg");
    }

    [Theory]
    [InlineData("london_129_neutral.jpg", "london_118_neutral.jpg", 0.18f, "left")]
    [InlineData("london_134_smiling.jpg", "london_125_neutral.jpg", 0.18f, "right")]
    [InlineData("london_140_smiling.jpg", "london_172_neutral.jpg", 0.15f, "left")]
    public void A_small_photo_right_against_the_hair_is_room_and_is_rejected_as_a_second_face(string host, string guest, float scale, string side)
    {
        // Centred on the height of the face box's top, overlapping the outline of the hair there by a few pixels.
        using var image = Pasted(host, guest, scale, (image, small) =>
        {
            Room(image, out var alone, out _);
            var y = (int)alone[0].Box.Top;
            var (left, right) = Outline(image, y - small.Height / 2, y + small.Height / 2);
            return side == "left" ? new Point(left - small.Width + 4, y - small.Height / 2) : new Point(right - 4, y - small.Height / 2);
        });

        Assert.True(Room(image, out _, out var first) > 0, $"{guest} at {scale:P0} against the hair of {host} left no room");
        Assert.Equal(1, first); // the 128 network alone does not see it: the room rule decides
        AssertRejectedAsTwoFaces(image, $"{host}+{guest}.jpg");
    }

    [Theory]
    [InlineData("london_139_neutral.jpg", "london_172_neutral.jpg")]
    [InlineData("london_126_neutral.jpg", "london_140_neutral.jpg")]
    [InlineData("london_137_neutral.jpg", "london_129_neutral.jpg")]
    public void A_photo_on_the_shoulder_is_room_for_its_face_and_is_rejected_as_a_second_face(string host, string guest)
    {
        // All of the pasted photo is the person grown down from the head; only its face's skin, fenced off from
        // the host's face by the photo's own backdrop and the host's clothing, is room.
        using var image = Pasted(host, guest, 0.2f, (image, small) => new Point(image.Width - small.Width - 8, image.Height - small.Height - 8));

        Assert.True(Room(image, out _, out var first) > 0, $"{guest} on the shoulder of {host} left no room");
        Assert.Equal(1, first);
        AssertRejectedAsTwoFaces(image, $"{host}+{guest}.jpg");
    }

    /// <summary>The calibration photo <paramref name="host"/> with <paramref name="guest"/>, shrunk to <paramref name="scale"/>, drawn where <paramref name="where"/> says.</summary>
    private static Image<Rgb24> Pasted(string host, string guest, float scale, Func<Image<Rgb24>, Image<Rgb24>, Point> where)
    {
        var image = Image.Load<Rgb24>(CalibrationSet.Get(host).Bytes());
        using var small = Image.Load<Rgb24>(CalibrationSet.Get(guest).Bytes());
        small.Mutate(x => x.Resize((int)(image.Width * scale), (int)(image.Height * scale)));
        var at = where(image, small);
        image.Mutate(x => x.DrawImage(small, at, 1f));
        return image;
    }

    private void AssertRejectedAsTwoFaces(Image<Rgb24> image, string name)
    {
        var inspector = new PhotoInspector(_options, PhotoInspector.BuiltInChecks()
            .Append(new FaceCheck(_detector, Microsoft.Extensions.Options.Options.Create(new FaceOptions()))));
        var result = inspector.Inspect(Derive.Jpeg(image), name, annotate: false);
        Assert.Contains(result.Findings, f => f.Code == FaceRules.SeveralFaces && f.Value == "2 faces");
    }

    /// <summary>The person's outline between rows <paramref name="top"/> and <paramref name="bottom"/> as the silhouette sees it: the median of each row's leftmost and rightmost pixel.</summary>
    private (int Left, int Right) Outline(Image<Rgb24> image, int top, int bottom)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        var s = new PhotoAnalysis(image.Width, image.Height, rgb, _options).Silhouette;
        var g = s.Grid;
        var rows = Enumerable.Range(Math.Max(0, top / g.Size), Math.Min(g.Rows, bottom / g.Size) - Math.Max(0, top / g.Size))
            .Select(r => Enumerable.Range(0, g.Cols).Where(c => s.IsSubject[g.Index(c, r)]).ToList())
            .Where(cols => cols.Count > 0).ToList();
        var lefts = rows.Select(cols => cols.Min()).Order().ToList();
        var rights = rows.Select(cols => cols.Max() + 1).Order().ToList();
        return (lefts[lefts.Count / 2] * g.Size, rights[rights.Count / 2] * g.Size);
    }

    [Fact]
    public void Without_a_face_everywhere_is_room()
    {
        using var image = new Image<Rgb24>(480, 640, new Rgb24(100, 197, 255));
        Assert.True(Room(image, out var faces, out _) > 0);
        Assert.Empty(faces);
    }

    /// <summary>The room the rule leaves, the faces found, and how many of them the 128 network found alone.</summary>
    private int Room(Image<Rgb24> image, out IReadOnlyList<DetectedFace> faces, out int first)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        var photo = new PhotoAnalysis(image.Width, image.Height, rgb, _options);
        var room = -1;
        var front = 0;
        faces = _detector.Detect(new RgbPixels(rgb, image.Width, image.Height), found =>
        {
            front = found.Count;
            return (room = SecondFaceRoom.RoomForAnotherFace(photo.Silhouette, found)) > 0;
        });
        first = front;
        return room;
    }

    public void Dispose() => _detector.Dispose();
}
