using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Finds faces with MediaPipe BlazeFace. Register it as a singleton: both networks are loaded
/// (and their checksums verified) once per process, and <see cref="Detect(RgbPixels)"/> may be
/// called from several threads at once.
/// <list type="number">
/// <item>The 128 model over the whole photo, letterboxed to a square.</item>
/// <item>The 128 model again on a square crop around each face found: the face fills more of the
/// network's input, and the keypoints land closer to the truth.</item>
/// <item>The 256 model over the whole photo, for small faces the 128 model misses (it is trained
/// on faces near the camera); a face it finds where none was found is added.</item>
/// </list>
/// </summary>
public sealed class FaceDetector : IDisposable
{
    // A crop of twice the face box: the face then fills about the share of the input the short-range
    // model saw in training, with hair and ears still inside.
    private const float RefineCropScale = 2f;

    private readonly FaceOptions _options;
    private readonly BlazeFaceNetwork _front;
    private readonly BlazeFaceNetwork? _back;

    public FaceDetector(IOptions<FaceOptions> options) : this(options.Value) { }

    public FaceDetector(FaceOptions options)
    {
        _options = options;
        ModelDirectory = ResolveModelDirectory(options.ModelDirectory);
        _front = BlazeFaceNetwork.Load(Path.Combine(ModelDirectory, BlazeFaceModelFiles.FrontFileName), BlazeFaceModelFiles.FrontSha256, 128, options.Threads);
        try
        {
            _back = options.FindSmallFaces
                ? BlazeFaceNetwork.Load(Path.Combine(ModelDirectory, BlazeFaceModelFiles.BackFileName), BlazeFaceModelFiles.BackSha256, 256, options.Threads)
                : null;
        }
        catch
        {
            _front.Dispose();
            throw;
        }
    }

    /// <summary>The folder the models were loaded from.</summary>
    public string ModelDirectory { get; }

    public static string ResolveModelDirectory(string configured) =>
        string.IsNullOrWhiteSpace(configured)
            ? BlazeFaceModelFiles.DefaultDirectory
            : Path.GetFullPath(configured, AppContext.BaseDirectory);

    public IReadOnlyList<DetectedFace> Detect(Image<Rgb24> image) => Detect(RgbPixels.From(image));

    /// <summary>Every face in the photo, largest first, with box and keypoints in photo pixels.</summary>
    public IReadOnlyList<DetectedFace> Detect(RgbPixels image)
    {
        var threshold = (float)_options.ScoreThreshold;
        var nms = (float)_options.NmsThreshold;
        var faces = new List<DetectedFace>();

        var whole = SquareRegion.Letterbox(image.Width, image.Height);
        foreach (var face in WeightedNms.Merge(_front.Detect(image, whole, threshold), nms))
        {
            var refined = _options.RefineLandmarks ? Refine(image, face, threshold, nms) : face;
            faces.Add(new DetectedFace(refined.Box, refined.Score, refined.Landmarks, FaceModelKind.Front128));
        }

        if (_back is not null)
        {
            var small = WeightedNms.Merge(_back.Detect(image, whole, (float)_options.SmallFaceScoreThreshold), nms);
            foreach (var face in small)
            {
                var center = new FacePoint(face.Box.CenterX, face.Box.CenterY);
                var known = faces.Any(f => f.Box.IntersectionOverUnion(face.Box) >= nms || f.Box.Contains(center));
                if (!known) faces.Add(new DetectedFace(face.Box, face.Score, face.Landmarks, FaceModelKind.Back256));
            }
        }

        faces.Sort((a, b) => (b.Box.Width * b.Box.Height).CompareTo(a.Box.Width * a.Box.Height));
        return faces;
    }

    private FaceCandidate Refine(RgbPixels image, FaceCandidate face, float threshold, float nms)
    {
        var side = MathF.Max(face.Box.Width, face.Box.Height) * RefineCropScale;
        var crop = SquareRegion.Around(face.Box.CenterX, face.Box.CenterY, side);
        var again = WeightedNms.Merge(_front.Detect(image, crop, threshold), nms);
        // The same face seen closer: the one that overlaps the first sighting most.
        var best = again.Where(c => c.Box.IntersectionOverUnion(face.Box) >= nms)
            .OrderByDescending(c => c.Box.IntersectionOverUnion(face.Box))
            .FirstOrDefault();
        return best.Score > 0 ? best : face;
    }

    public void Dispose()
    {
        _front.Dispose();
        _back?.Dispose();
    }
}
