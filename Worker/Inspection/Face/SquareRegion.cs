namespace CollectionWorker.Inspection.Face;

/// <summary>
/// A square part of the photo, in photo pixels, that one network pass sees; it may reach past
/// the photo's edges (letterboxing), where the network sees black as MediaPipe pads.
/// </summary>
public readonly record struct SquareRegion(float Left, float Top, float Side)
{
    /// <summary>The whole photo, centred in a square of its longer side.</summary>
    public static SquareRegion Letterbox(int width, int height)
    {
        var side = Math.Max(width, height);
        return new SquareRegion((width - side) / 2f, (height - side) / 2f, side);
    }

    public static SquareRegion Around(float centerX, float centerY, float side) => new(centerX - side / 2, centerY - side / 2, side);

    /// <summary>From the network's 0..1 coordinates back to photo pixels.</summary>
    public FacePoint ToImage(float u, float v) => new(Left + u * Side, Top + v * Side);
}
