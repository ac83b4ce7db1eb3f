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
/// on faces near the camera); a face it finds where none was found is added. The caller may say
/// where there is no room for another face (<see cref="SecondFaceRoom"/>): then it does not run.</item>
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
    /// <param name="image">The photo.</param>
    /// <param name="roomForAnotherFace">
    /// Asked with the faces the 128 network found: could another face be anywhere else? Only then does
    /// the 256 network look for small faces (see <see cref="SecondFaceRoom"/>); null = it always looks.
    /// </param>
    public IReadOnlyList<DetectedFace> Detect(RgbPixels image, Func<IReadOnlyList<DetectedFace>, bool>? roomForAnotherFace = null)
    {
        var threshold = (float)_options.ScoreThreshold;
        var nms = (float)_options.NmsThreshold;
        var faces = new List<DetectedFace>();

        var whole = SquareRegion.Letterbox(image.Width, image.Height);
        var frontInput = _front.RentInput();
        float[]? backInput = null;
        try
        {
            // Both whole-photo inputs in one pass over the photo when the 256 network surely runs (each 128 cell is 2x2 of its cells).
            var paired = _back is not null && roomForAnotherFace is null && _back.InputSize == 2 * _front.InputSize &&
                NetworkInput.TryFillPair(image, whole, _front.InputSize, frontInput.AsSpan(0, _front.InputLength),
                    (backInput = _back.RentInput()).AsSpan(0, _back.InputLength));
            if (!paired) NetworkInput.Fill(image, whole, _front.InputSize, frontInput.AsSpan(0, _front.InputLength));
            foreach (var face in WeightedNms.Merge(_front.Detect(frontInput, whole, threshold), nms))
            {
                var refined = _options.RefineLandmarks ? Refine(image, face, threshold, nms) : face;
                faces.Add(new DetectedFace(refined.Box, refined.Score, refined.Landmarks, FaceModelKind.Front128));
            }
            if (_back is not null && (paired || roomForAnotherFace is null || roomForAnotherFace(faces)))
            {
                if (!paired) NetworkInput.Fill(image, whole, _back.InputSize, (backInput ??= _back.RentInput()).AsSpan(0, _back.InputLength));
                AddSmallFaces(_back.Detect(backInput!, whole, (float)_options.SmallFaceScoreThreshold), faces, nms);
            }
        }
        finally
        {
            BlazeFaceNetwork.ReturnInput(frontInput);
            if (backInput is not null) BlazeFaceNetwork.ReturnInput(backInput);
        }

        faces.Sort((a, b) => (b.Box.Width * b.Box.Height).CompareTo(a.Box.Width * a.Box.Height));
        return faces;
    }

    /// <summary>Faces of the 256 network where the 128 one found none: small extra faces.</summary>
    private static void AddSmallFaces(List<FaceCandidate> candidates, List<DetectedFace> faces, float nms)
    {
        foreach (var face in WeightedNms.Merge(candidates, nms))
        {
            var center = new FacePoint(face.Box.CenterX, face.Box.CenterY);
            var known = faces.Any(f => f.Box.IntersectionOverUnion(face.Box) >= nms || f.Box.Contains(center));
            if (!known) faces.Add(new DetectedFace(face.Box, face.Score, face.Landmarks, FaceModelKind.Back256));
        }
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
