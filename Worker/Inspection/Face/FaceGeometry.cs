namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Measures the composition of a portrait from the faces found (and, when given, the person's
/// silhouette). A pure function: same input, same numbers; no model, no options.
/// </summary>
public static class FaceGeometry
{
    /// <summary>
    /// How far the nose tip stands in front of the ears, in half ear-to-ear widths (adult heads:
    /// about 95–100 mm in front of the tragion against a half width of about 72–80 mm). Turning the
    /// head by θ moves the nose sideways by this times tan θ, measured in half ear widths.
    /// </summary>
    public const float NoseDepthToHalfWidth = 1.2f;

    public static FaceMeasurements Measure(IReadOnlyList<DetectedFace> faces, int imageWidth, int imageHeight, ForegroundMask? silhouette = null)
    {
        var face = faces.Count == 0 ? null : faces.MaxBy(f => f.Box.Width * f.Box.Height);
        if (face is null)
            return new FaceMeasurements { ImageWidth = imageWidth, ImageHeight = imageHeight, FaceCount = 0 };

        var p = face.Landmarks;
        var eyes = FacePoint.Midpoint(p.RightEye, p.LeftEye);
        var ears = FacePoint.Midpoint(p.RightEarTragion, p.LeftEarTragion);
        var earDistance = p.RightEarTragion.DistanceTo(p.LeftEarTragion);
        var eyeDistance = p.RightEye.DistanceTo(p.LeftEye);

        // The subject's right eye is on the image's left: the eye line runs left to right.
        var roll = MathF.Atan2(p.LeftEye.Y - p.RightEye.Y, p.LeftEye.X - p.RightEye.X);

        // Yaw is read along the eye line, so a tilted but frontal head does not look turned.
        var along = new FacePoint(MathF.Cos(roll), MathF.Sin(roll));
        var noseOffset = (p.NoseTip.X - ears.X) * along.X + (p.NoseTip.Y - ears.Y) * along.Y;
        var yaw = earDistance > 0 ? MathF.Atan(noseOffset / (earDistance / 2) / NoseDepthToHalfWidth) : 0;

        var eyeToMouth = eyes.DistanceTo(p.Mouth);
        var eyeLine = eyes.Y;

        return new FaceMeasurements
        {
            ImageWidth = imageWidth,
            ImageHeight = imageHeight,
            FaceCount = faces.Count,
            Face = face,
            EyeLineY = eyeLine,
            FaceWidthPx = earDistance,
            CentreOffsetPx = ears.X - imageWidth / 2f,
            RollDegrees = Degrees(roll),
            YawDegrees = Degrees(yaw),
            // A turned head shows the eyes closer together (foreshortened by cos yaw): undo that, so a
            // turn is reported as a turn and not also as a squeezed photo.
            ProportionRatio = eyeToMouth > 0 ? eyeDistance / MathF.Cos(yaw) / eyeToMouth : null,
            HeadTopY = silhouette is null ? null : HeadTop(silhouette, ears.X, earDistance, eyeLine),
            ShoulderTiltDegrees = silhouette is null ? null : ShoulderTilt(silhouette, ears.X, earDistance, p.Mouth.Y),
        };
    }

    /// <summary>
    /// The first row, from the top, where the silhouette covers a tenth of a band half a face wide
    /// over the head's centre: stray background pixels do not count, hair does.
    /// </summary>
    private static int? HeadTop(ForegroundMask mask, float centreX, float faceWidth, float eyeLineY)
    {
        var half = Math.Max(2, (int)(faceWidth / 4));
        int x0 = (int)centreX - half, x1 = (int)centreX + half;
        var needed = Math.Max(2, (x1 - x0 + 1) / 10);
        var bottom = Math.Min(mask.Height - 1, (int)eyeLineY);
        for (var y = 0; y <= bottom; y++)
            if (mask.CountInRow(y, x0, x1) >= needed) return y;
        return null;
    }

    /// <summary>
    /// Compares the top of the silhouette at the two shoulders (one face width either side of the
    /// head's centre, below the mouth): a level pair gives 0°.
    /// </summary>
    private static float? ShoulderTilt(ForegroundMask mask, float centreX, float faceWidth, float mouthY)
    {
        var offset = faceWidth * 0.95f;
        int left = (int)(centreX - offset), right = (int)(centreX + offset);
        if (left < 0 || right >= mask.Width) return null;
        var top = (int)Math.Min(mask.Height - 1, Math.Max(0, mouthY));
        int? l = FirstForeground(mask, left, top), r = FirstForeground(mask, right, top);
        if (l is null || r is null) return null;
        return Degrees(MathF.Atan2(r.Value - l.Value, right - left));
    }

    private static int? FirstForeground(ForegroundMask mask, int x, int fromY)
    {
        for (var y = fromY; y < mask.Height; y++)
            if (mask.CountInRow(y, x - 2, x + 2) >= 3) return y;
        return null;
    }

    private static float Degrees(float radians) => radians * 180f / MathF.PI;
}
