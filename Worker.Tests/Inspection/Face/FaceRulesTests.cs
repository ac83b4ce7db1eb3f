using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>Every rule on drawn JPEG portraits: the compliant one raises nothing; each defect raises its own code and no other.</summary>
[Collection(FaceCollection.Name)]
public sealed class FaceRulesTests(FaceDetectorFixture f)
{
    private static readonly FaceOptions Standard = new();

    [Fact]
    public void A_compliant_portrait_raises_nothing()
    {
        Assert.Empty(Findings(new SyntheticFace(), "compliant"));
    }

    [Fact]
    public void Compliant_portraits_on_white_and_gray_raise_nothing()
    {
        Assert.Empty(Findings(new SyntheticFace { Background = new Rgb24(255, 255, 255) }, "compliant-white"));
        Assert.Empty(Findings(new SyntheticFace { Background = new Rgb24(240, 240, 240) }, "compliant-gray"));
    }

    public static TheoryData<string, string> Defects => new()
    {
        { "second-face", FaceRules.SeveralFaces },
        { "head-top-too-high", FaceRules.HeadTop },
        { "head-top-too-low", FaceRules.HeadTop },
        { "eyes-too-low", FaceRules.EyeLine },
        { "eyes-too-high", FaceRules.EyeLine },
        { "face-too-small", FaceRules.Width },
        { "face-too-large", FaceRules.Width },
        { "off-centre", FaceRules.OffCentre },
        { "tilted", FaceRules.Roll },
        { "turned", FaceRules.Yaw },
        { "shoulders", FaceRules.Shoulders },
        { "stretched", FaceRules.Proportion },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public void Each_defect_raises_its_own_code_and_no_other(string defect, string code)
    {
        var findings = Findings(Portrait(defect), defect);
        var finding = Assert.Single(findings);
        Assert.Equal(code, finding.Code);
        Assert.False(string.IsNullOrWhiteSpace(finding.MessageZh));
        Assert.False(string.IsNullOrWhiteSpace(finding.MessageEn));
        Assert.False(string.IsNullOrWhiteSpace(finding.Value));
        Assert.False(string.IsNullOrWhiteSpace(finding.Limit));
    }

    [Fact]
    public void No_face_is_a_rejection_and_nothing_else()
    {
        var path = Path.Combine(f.Folder, "rules-plain.jpg");
        using (var plain = new Image<Rgb24>(480, 640, new Rgb24(100, 197, 255)))
            plain.SaveAsJpeg(path);
        using var image = Image.Load<Rgb24>(path);
        var m = FaceGeometry.Measure(f.Detector.Detect(image), image.Width, image.Height, FaceDetectorFixture.Silhouette(image, new Rgb24(100, 197, 255)));

        var finding = Assert.Single(FaceRules.Evaluate(m, Standard));
        Assert.Equal(FaceRules.NoFace, finding.Code);
        Assert.Equal(FaceFindingSeverity.Reject, finding.Severity);
    }

    [Fact]
    public void Composition_rejects_and_pose_estimates_ask_for_review()
    {
        Assert.Equal(FaceFindingSeverity.Reject, Findings(Portrait("eyes-too-low"), "severity-eyes").Single().Severity);
        Assert.Equal(FaceFindingSeverity.Reject, Findings(Portrait("second-face"), "severity-second").Single().Severity);
        Assert.Equal(FaceFindingSeverity.Review, Findings(Portrait("turned"), "severity-turned").Single().Severity);
    }

    [Fact]
    public void Limits_come_from_the_options()
    {
        var m = f.Measure(new SyntheticFace(), "limits");
        var strict = new FaceOptions { EyeLineMinPx = 260, EyeLineMaxPx = 300 };
        var finding = Assert.Single(FaceRules.Evaluate(m, strict));
        Assert.Equal(FaceRules.EyeLine, finding.Code);
        Assert.Equal("260–300 px", finding.Limit);
        Assert.Contains("260–300", finding.MessageZh);
    }

    internal static SyntheticFace Portrait(string defect) => defect switch
    {
        "second-face" => new SyntheticFace { Others = [new SyntheticFace { CenterX = 410, EyeLineY = 90, FaceWidth = 70, Body = false }] },
        "head-top-too-high" => new SyntheticFace { HairTop = 1.0f },
        "head-top-too-low" => new SyntheticFace { EyeLineY = 290, HairTop = 0.55f },
        "eyes-too-low" => new SyntheticFace { EyeLineY = 320, HairTop = 0.95f },
        "eyes-too-high" => new SyntheticFace { EyeLineY = 188, FaceWidth = 215, HairTop = 0.55f },
        "face-too-small" => new SyntheticFace { FaceWidth = 170, EyeLineY = 240, HairTop = 0.85f },
        "face-too-large" => new SyntheticFace { FaceWidth = 350, EyeLineY = 285, HairTop = 0.55f },
        "off-centre" => new SyntheticFace { CenterX = 290 },
        "tilted" => new SyntheticFace { RollDegrees = 14 },
        "turned" => new SyntheticFace { YawDegrees = 25 },
        "shoulders" => new SyntheticFace { ShoulderTiltDegrees = 14 },
        "stretched" => new SyntheticFace { StretchX = 1.7f },
        _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, "No such drawn defect."),
    };

    private List<FaceFinding> Findings(SyntheticFace face, string name) => FaceRules.Evaluate(f.Measure(face, name), Standard);
}
