namespace CollectionWorker.Inspection.Face;

/// <summary>
/// What the face stage measured on one photo, in photo pixels and degrees. Values are null when
/// they could not be measured (no face; no silhouette for the head top and shoulders).
/// </summary>
public sealed record FaceMeasurements
{
    public required int ImageWidth { get; init; }
    public required int ImageHeight { get; init; }

    /// <summary>Faces found, the portrait's own included.</summary>
    public required int FaceCount { get; init; }

    /// <summary>The portrait's face: the largest one.</summary>
    public DetectedFace? Face { get; init; }

    /// <summary>Mean height of the two eyes, pixels from the top edge.</summary>
    public float? EyeLineY { get; init; }

    /// <summary>Ear tragion to ear tragion: close to the standard's cheek-to-cheek width.</summary>
    public float? FaceWidthPx { get; init; }

    /// <summary>Midpoint of the ears minus the photo's centre line; positive = right of centre.</summary>
    public float? CentreOffsetPx { get; init; }

    /// <summary>Tilt of the eye line; positive = clockwise (the eye on the image's right is lower).</summary>
    public float? RollDegrees { get; init; }

    /// <summary>Head turn from the nose's place between the ears; positive = nose towards the image's right.</summary>
    public float? YawDegrees { get; init; }

    /// <summary>Eye distance (corrected for the head's turn) divided by the distance from the eyes' midpoint to the mouth.</summary>
    public float? ProportionRatio { get; init; }

    /// <summary>First row of the head above the face (hair included), from the silhouette.</summary>
    public int? HeadTopY { get; init; }

    /// <summary>Tilt of the shoulder line from the silhouette; positive = the image's right shoulder lower.</summary>
    public float? ShoulderTiltDegrees { get; init; }
}
