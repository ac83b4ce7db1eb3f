using CollectionWorker.Inspection.Face;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>Detector and measurement together on drawn JPEG portraits, against what was drawn.</summary>
[Collection(FaceCollection.Name)]
public sealed class FaceMeasurementOnDrawnFacesTests(FaceDetectorFixture f)
{
    [Theory]
    [InlineData(-15)]
    [InlineData(-6)]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(15)]
    public void Roll_is_measured_within_three_degrees(float roll)
    {
        var m = f.Measure(new SyntheticFace { RollDegrees = roll }, $"roll{roll}");
        Assert.Equal(1, m.FaceCount);
        Assert.InRange(m.RollDegrees!.Value, roll - 3, roll + 3);
    }

    [Theory]
    [InlineData(-30)]
    [InlineData(-15)]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(30)]
    public void Yaw_is_measured_within_seven_degrees_with_the_right_sign(float yaw)
    {
        var m = f.Measure(new SyntheticFace { YawDegrees = yaw }, $"yaw{yaw}");
        Assert.InRange(m.YawDegrees!.Value, yaw - 7, yaw + 7);
        if (yaw != 0) Assert.Equal(MathF.Sign(yaw), MathF.Sign(m.YawDegrees.Value));
    }

    [Theory]
    [InlineData(170)]
    [InlineData(230)]
    [InlineData(300)]
    [InlineData(340)]
    public void Face_width_is_the_drawn_tragion_distance_within_six_percent(float width)
    {
        var drawn = new SyntheticFace { FaceWidth = width, EyeLineY = 260, HairTop = 0.6f };
        var m = f.Measure(drawn, $"width{width}");
        Assert.InRange(m.FaceWidthPx!.Value, drawn.TragionDistance * 0.94f, drawn.TragionDistance * 1.06f);
    }

    [Theory]
    [InlineData(240, 250)]
    [InlineData(180, 210)]
    [InlineData(300, 300)]
    public void Position_and_eye_line_are_measured_within_six_pixels(float centreX, float eyeLineY)
    {
        var m = f.Measure(new SyntheticFace { CenterX = centreX, EyeLineY = eyeLineY }, $"pos{centreX}-{eyeLineY}");
        Assert.InRange(m.CentreOffsetPx!.Value, centreX - 240 - 6, centreX - 240 + 6);
        Assert.InRange(m.EyeLineY!.Value, eyeLineY - 6, eyeLineY + 6);
    }

    [Fact]
    public void Head_top_is_the_top_of_the_drawn_hair()
    {
        var drawn = new SyntheticFace();
        var m = f.Measure(drawn, "head-top");
        Assert.InRange(m.HeadTopY!.Value, drawn.HeadTopY - 3, drawn.HeadTopY + 3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(-12)]
    public void Shoulder_tilt_follows_the_drawn_shoulders(float tilt)
    {
        var m = f.Measure(new SyntheticFace { ShoulderTiltDegrees = tilt }, $"shoulders{tilt}");
        // The top of a tilted ellipse one face width out is less steep than its axis: the sign and size class matter.
        if (tilt == 0) Assert.InRange(m.ShoulderTiltDegrees!.Value, -2, 2);
        else Assert.InRange(MathF.Abs(m.ShoulderTiltDegrees!.Value), 7, 20);
        if (tilt != 0) Assert.Equal(MathF.Sign(tilt), MathF.Sign(m.ShoulderTiltDegrees.Value));
    }

    [Fact]
    public void Stretching_the_photo_sideways_raises_the_proportion_ratio_and_squeezing_lowers_it()
    {
        var normal = f.Measure(new SyntheticFace(), "proportion-normal").ProportionRatio!.Value;
        var stretched = f.Measure(new SyntheticFace { StretchX = 1.35f }, "proportion-stretched").ProportionRatio!.Value;
        var squeezed = f.Measure(new SyntheticFace { StretchX = 0.75f }, "proportion-squeezed").ProportionRatio!.Value;
        Assert.InRange(normal, 0.9f, 1.0f);
        Assert.True(stretched > normal + 0.05f, $"stretched {stretched} vs normal {normal}");
        Assert.True(squeezed < normal - 0.05f, $"squeezed {squeezed} vs normal {normal}");
    }
}
