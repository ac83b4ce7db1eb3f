using CollectionWorker.Inspection.Face;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>The pure measurement on hand-placed keypoints: exact numbers.</summary>
public sealed class FaceGeometryTests
{
    private static DetectedFace Face(FaceLandmarks p, float size = 240) =>
        new(FaceBox.FromCenter(p.NoseTip.X, p.NoseTip.Y, size, size), 0.9f, p, FaceModelKind.Front128);

    private static FaceLandmarks Upright(float cx = 240, float eyeY = 250, float earHalf = 110, float eyeHalf = 50, float mouthDown = 105, float noseX = 0) => new(
        new(cx - eyeHalf, eyeY), new(cx + eyeHalf, eyeY), new(cx + noseX, eyeY + 60), new(cx, eyeY + mouthDown),
        new(cx - earHalf, eyeY + 25), new(cx + earHalf, eyeY + 25));

    [Fact]
    public void An_upright_centred_face_measures_as_placed()
    {
        var m = FaceGeometry.Measure([Face(Upright())], 480, 640);

        Assert.Equal(1, m.FaceCount);
        Assert.Equal(250, m.EyeLineY!.Value, 3);
        Assert.Equal(220, m.FaceWidthPx!.Value, 3);
        Assert.Equal(0, m.CentreOffsetPx!.Value, 3);
        Assert.Equal(0, m.RollDegrees!.Value, 3);
        Assert.Equal(0, m.YawDegrees!.Value, 3);
        Assert.Equal(100f / 105f, m.ProportionRatio!.Value, 4);
        Assert.Null(m.HeadTopY);
        Assert.Null(m.ShoulderTiltDegrees);
    }

    [Fact]
    public void Offset_is_the_ears_midpoint_against_the_centre_line()
    {
        var m = FaceGeometry.Measure([Face(Upright(cx: 200))], 480, 640);
        Assert.Equal(-40, m.CentreOffsetPx!.Value, 3);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(-7)]
    public void Roll_is_the_eye_line_angle_and_does_not_read_as_yaw(float degrees)
    {
        var a = degrees * MathF.PI / 180;
        var centre = new FacePoint(240, 250);
        var p = Upright();
        FacePoint Turn(FacePoint q) => new(
            centre.X + (q.X - centre.X) * MathF.Cos(a) - (q.Y - centre.Y) * MathF.Sin(a),
            centre.Y + (q.X - centre.X) * MathF.Sin(a) + (q.Y - centre.Y) * MathF.Cos(a));
        var turned = new FaceLandmarks(Turn(p.RightEye), Turn(p.LeftEye), Turn(p.NoseTip), Turn(p.Mouth), Turn(p.RightEarTragion), Turn(p.LeftEarTragion));

        var m = FaceGeometry.Measure([Face(turned)], 480, 640);

        Assert.Equal(degrees, m.RollDegrees!.Value, 2);
        Assert.Equal(0, m.YawDegrees!.Value, 2);
        Assert.Equal(220, m.FaceWidthPx!.Value, 2);
    }

    [Fact]
    public void Yaw_follows_the_nose_between_the_ears()
    {
        // Nose 1.2 * tan(20°) half-widths to the right: a 20° turn by the head model.
        var shift = 110 * FaceGeometry.NoseDepthToHalfWidth * MathF.Tan(20 * MathF.PI / 180);
        var right = FaceGeometry.Measure([Face(Upright(noseX: shift))], 480, 640);
        var left = FaceGeometry.Measure([Face(Upright(noseX: -shift))], 480, 640);
        Assert.Equal(20, right.YawDegrees!.Value, 2);
        Assert.Equal(-20, left.YawDegrees!.Value, 2);
    }

    [Fact]
    public void The_largest_face_is_the_portrait_and_every_face_is_counted()
    {
        var small = Face(Upright(cx: 410, eyeY: 90, earHalf: 30, eyeHalf: 14, mouthDown: 30), size: 60);
        var m = FaceGeometry.Measure([small, Face(Upright())], 480, 640);
        Assert.Equal(2, m.FaceCount);
        Assert.Equal(250, m.EyeLineY!.Value, 3);
    }

    [Fact]
    public void No_face_measures_nothing()
    {
        var m = FaceGeometry.Measure([], 480, 640);
        Assert.Equal(0, m.FaceCount);
        Assert.Null(m.Face);
        Assert.Null(m.EyeLineY);
        Assert.Null(m.FaceWidthPx);
    }

    [Fact]
    public void Head_top_and_shoulders_come_from_the_silhouette()
    {
        // A head from row 80 down, 200 px wide, and shoulders from row 460 on the left and 480 on the right.
        var mask = new bool[480 * 640];
        for (var y = 80; y < 640; y++)
        for (var x = 140; x < 340; x++)
            mask[y * 480 + x] = true;
        for (var x = 0; x < 480; x++)
        {
            var top = x < 240 ? 460 : 480;
            for (var y = top; y < 640; y++) mask[y * 480 + x] = true;
        }
        // A few stray pixels above the head are not hair.
        mask[10 * 480 + 240] = mask[11 * 480 + 241] = true;

        var m = FaceGeometry.Measure([Face(Upright())], 480, 640, new ForegroundMask(mask, 480, 640));

        Assert.Equal(80, m.HeadTopY);
        var expected = MathF.Atan2(20, 2 * (int)(220 * 0.95f)) * 180 / MathF.PI;
        Assert.Equal(expected, m.ShoulderTiltDegrees!.Value, 1);
    }
}
