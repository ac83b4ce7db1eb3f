using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>
/// One detector (the real models the build put beside the tests) and one temp folder for every face
/// test: loading the networks once keeps the suite quick, and the classes of the collection run
/// one after another instead of competing for the two cores.
/// </summary>
public sealed class FaceDetectorFixture : IDisposable
{
    public FaceDetectorFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "face-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Detector = new FaceDetector(new FaceOptions());
    }

    public FaceDetector Detector { get; }
    public string Folder { get; }

    /// <summary>Draws a portrait, saves it as a JPEG, decodes it and runs the detector on it.</summary>
    public IReadOnlyList<DetectedFace> Detect(SyntheticFace face, string name)
    {
        using var image = face.RenderJpeg(Folder, name);
        return Detector.Detect(image);
    }

    /// <summary>Detects and measures, with the silhouette taken from the plain background as the background check would.</summary>
    public FaceMeasurements Measure(SyntheticFace face, string name)
    {
        using var image = face.RenderJpeg(Folder, name);
        var faces = Detector.Detect(image);
        return FaceGeometry.Measure(faces, image.Width, image.Height, Silhouette(image, face.Background));
    }

    /// <summary>Foreground = clearly away from the background colour (JPEG noise stays well inside 60).</summary>
    public static ForegroundMask Silhouette(SixLabors.ImageSharp.Image<Rgb24> image, Rgb24 background)
    {
        var mask = new bool[image.Width * image.Height];
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        {
            var p = image[x, y];
            mask[y * image.Width + x] = Math.Abs(p.R - background.R) + Math.Abs(p.G - background.G) + Math.Abs(p.B - background.B) > 60;
        }
        return new ForegroundMask(mask, image.Width, image.Height);
    }

    public void Dispose()
    {
        Detector.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class FaceCollection : ICollectionFixture<FaceDetectorFixture>
{
    public const string Name = "Face detector";
}
