namespace CollectionWorker.Inspection.Face;

/// <summary>A point in image pixels (x to the right, y down, origin at the top-left corner).</summary>
public readonly record struct FacePoint(float X, float Y)
{
    public float DistanceTo(FacePoint other) => MathF.Sqrt((X - other.X) * (X - other.X) + (Y - other.Y) * (Y - other.Y));

    public static FacePoint Midpoint(FacePoint a, FacePoint b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2);
}

/// <summary>An axis-aligned box in image pixels.</summary>
public readonly record struct FaceBox(float Left, float Top, float Width, float Height)
{
    public float Right => Left + Width;
    public float Bottom => Top + Height;
    public float CenterX => Left + Width / 2;
    public float CenterY => Top + Height / 2;

    public static FaceBox FromCenter(float cx, float cy, float width, float height) => new(cx - width / 2, cy - height / 2, width, height);

    /// <summary>Intersection over union: 0 for disjoint boxes, 1 for the same box.</summary>
    public float IntersectionOverUnion(FaceBox other)
    {
        var w = MathF.Min(Right, other.Right) - MathF.Max(Left, other.Left);
        var h = MathF.Min(Bottom, other.Bottom) - MathF.Max(Top, other.Top);
        if (w <= 0 || h <= 0) return 0;
        var inner = w * h;
        return inner / (Width * Height + other.Width * other.Height - inner);
    }

    public bool Contains(FacePoint p) => p.X >= Left && p.X <= Right && p.Y >= Top && p.Y <= Bottom;
}

/// <summary>
/// BlazeFace's six keypoints, named from the subject's side: in an unmirrored photo the subject's
/// right eye and ear are on the left of the image.
/// </summary>
public readonly record struct FaceLandmarks(
    FacePoint RightEye,
    FacePoint LeftEye,
    FacePoint NoseTip,
    FacePoint Mouth,
    FacePoint RightEarTragion,
    FacePoint LeftEarTragion)
{
    public const int Count = 6;

    public FacePoint this[int index] => index switch
    {
        0 => RightEye,
        1 => LeftEye,
        2 => NoseTip,
        3 => Mouth,
        4 => RightEarTragion,
        5 => LeftEarTragion,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "BlazeFace has keypoints 0 to 5."),
    };

    public static FaceLandmarks FromSpan(ReadOnlySpan<FacePoint> p) => new(p[0], p[1], p[2], p[3], p[4], p[5]);
}

/// <summary>Which of the two BlazeFace networks found a face.</summary>
public enum FaceModelKind
{
    /// <summary>The 128x128 short-range model: the portrait's own face, refined on a crop.</summary>
    Front128,

    /// <summary>The 256x256 long-range model: small faces elsewhere in the picture.</summary>
    Back256,
}

/// <summary>One face found in a photo, in the photo's pixels.</summary>
public sealed record DetectedFace(FaceBox Box, float Score, FaceLandmarks Landmarks, FaceModelKind Model);
