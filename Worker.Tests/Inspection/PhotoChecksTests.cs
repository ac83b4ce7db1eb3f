using CollectionWorker.Inspection;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// Every check against the synthetic studio portrait: compliant portraits (each backdrop colour,
/// dark and pale skin, vignetting, sensor noise) pass; each defect variant fails with its code
/// and with no other review or reject finding.
/// </summary>
public sealed class PhotoChecksTests(PhotoFolder folder) : IClassFixture<PhotoFolder>
{
    private static readonly PhotoInspector Inspector = PhotoInspector.CreateDefault();

    private InspectionResult Inspect(PortraitSpec spec, string name)
    {
        var path = PortraitGenerator.Save(spec, folder.Path, name + ".jpg");
        return Inspector.InspectFile(path, annotate: false);
    }

    private static string[] Flags(InspectionResult r) =>
        r.Findings.Where(f => f.Severity != Severity.Info).Select(f => f.Code).Order().ToArray();

    public static TheoryData<string, PortraitSpec> Compliant => new()
    {
        { "light-blue", new PortraitSpec() },
        { "white", new PortraitSpec { Background = new Rgb(255, 255, 255) } },
        { "light-gray", new PortraitSpec { Background = new Rgb(240, 240, 240) } },
        { "dark-skin", new PortraitSpec { Skin = new Rgb(120, 80, 58) } },
        { "deep-skin-white-bg", new PortraitSpec { Skin = new Rgb(92, 60, 45), Background = new Rgb(255, 255, 255) } },
        { "pale-skin-white-bg", new PortraitSpec { Skin = new Rgb(238, 210, 195), Background = new Rgb(255, 255, 255) } },
        { "strong-vignette", new PortraitSpec { Vignette = 0.14 } },
        { "studio-blue-variant", new PortraitSpec { Background = new Rgb(110, 190, 240) } },
        { "noisy", new PortraitSpec { Noise = 4, Seed = 3 } },
        { "light-clothing-on-blue", new PortraitSpec { Clothing = new Rgb(150, 150, 150) } },
        { "paler-studio-blue", new PortraitSpec { Background = new Rgb(150, 215, 255) } },
        { "deeper-studio-blue", new PortraitSpec { Background = new Rgb(80, 170, 230) } },
        { "warm-white", new PortraitSpec { Background = new Rgb(245, 240, 225) } },
        { "hair-against-top-edge", new PortraitSpec { HeadShift = -75 } },
        { "hair-against-top-edge-white", new PortraitSpec { HeadShift = -75, Background = new Rgb(255, 255, 255) } },
        { "flyaway-hair", new PortraitSpec { FlyawayHairs = 60 } },
        { "flyaway-hair-white", new PortraitSpec { FlyawayHairs = 60, Background = new Rgb(255, 255, 255) } },
        { "long-hair", new PortraitSpec { LongHair = true } },
        { "backdrop-light-halo", new PortraitSpec { BackdropSpot = 0.15, Vignette = 0.12 } },
        { "quality-60-noisy", new PortraitSpec { Quality = 60, Noise = 3, Skin = new Rgb(120, 80, 58), Background = new Rgb(255, 255, 255) } },
    };

    [Theory]
    [MemberData(nameof(Compliant))]
    public void Compliant_portraits_are_accepted(string name, PortraitSpec spec)
    {
        var result = Inspect(spec, name);

        Assert.Empty(Flags(result));
        Assert.Equal(Verdict.Accept, result.Verdict);
    }

    public static TheoryData<string, PortraitSpec, string> Defects => new()
    {
        { "red-backdrop", new PortraitSpec { Background = new Rgb(200, 40, 40) }, "BG_COLOR" },
        { "id-card-blue", new PortraitSpec { Background = new Rgb(67, 142, 219) }, "BG_COLOR" },
        { "green-backdrop", new PortraitSpec { Background = new Rgb(120, 200, 120) }, "BG_COLOR" },
        { "blotchy", new PortraitSpec { Blotches = 0.2 }, "BG_UNIFORMITY" },
        { "gradient", new PortraitSpec { Gradient = -0.4 }, "BG_GRADIENT" },
        { "gradient-sideways", new PortraitSpec { GradientSideways = 0.4 }, "BG_GRADIENT" },
        { "shadow", new PortraitSpec { Shadow = 0.3 }, "BG_SHADOW" },
        { "watermark", new PortraitSpec { Watermark = true }, "BG_CLUTTER" },
        { "object", new PortraitSpec { ObjectBeside = true }, "BG_CLUTTER" },
        { "dark-face", new PortraitSpec { SubjectExposure = -0.7 }, "EXPOSURE_DARK" },
        { "bright-face", new PortraitSpec { SubjectExposure = 0.7 }, "EXPOSURE_BRIGHT" },
        { "hot-spot", new PortraitSpec { HotSpot = true }, "EXPOSURE_CLIPPED" },
        { "yellow-cast", new PortraitSpec { Background = new Rgb(255, 255, 255), Cast = (1.0, 0.95, 0.8) }, "COLOR_CAST" },
        { "green-cast-on-skin", new PortraitSpec { Skin = new Rgb(170, 190, 140) }, "COLOR_CAST" },
        { "magenta-cast-on-skin", new PortraitSpec { Skin = new Rgb(220, 150, 190) }, "COLOR_CAST" },
        { "green-cast-on-blue", new PortraitSpec { Cast = (0.85, 1.0, 0.85) }, "COLOR_CAST" },
        { "blur", new PortraitSpec { BlurSigma = 3 }, "BLUR" },
        { "side-light", new PortraitSpec { SideLight = 0.5 }, "LIGHT_UNEVEN" },
        { "blue-clothing", new PortraitSpec { Clothing = new Rgb(30, 50, 120) }, "CLOTHING_BLUE" },
        { "clothing-like-backdrop", new PortraitSpec { Background = new Rgb(255, 255, 255), Clothing = new Rgb(250, 250, 250), Shirt = new Rgb(250, 250, 250) }, "CLOTHING_LIKE_BACKGROUND" },
        { "stripes", new PortraitSpec { Stripes = 14 }, "CLOTHING_PATTERN" },
        // Light stripes let a white or gray backdrop grow into the clothing: the head must stay the person, not clutter.
        { "stripes-on-white", new PortraitSpec { Stripes = 14, Background = new Rgb(255, 255, 255), Seed = 8 }, "CLOTHING_PATTERN" },
        { "stripes-on-gray", new PortraitSpec { Stripes = 10, Background = new Rgb(240, 240, 240), Seed = 10 }, "CLOTHING_PATTERN" },
    };

    [Theory]
    [MemberData(nameof(Defects))]
    public void Each_defect_gives_its_code_and_only_that_code(string name, PortraitSpec spec, string code)
    {
        var result = Inspect(spec, name);

        Assert.Equal([code], Flags(result));
        var finding = result.Findings.Single(f => f.Code == code);
        Assert.False(string.IsNullOrWhiteSpace(finding.Value));
        Assert.False(string.IsNullOrWhiteSpace(finding.Limit));
        Assert.False(string.IsNullOrWhiteSpace(finding.MessageZh));
        Assert.False(string.IsNullOrWhiteSpace(finding.MessageEn));
        Assert.Equal(code == "BG_COLOR" ? Verdict.Reject : Verdict.Review, result.Verdict);
    }

    [Fact]
    public void Background_colour_names_the_nearest_reference_and_its_distance()
    {
        var result = Inspect(new PortraitSpec { Background = new Rgb(67, 142, 219) }, "named");

        var f = result.Findings.Single(x => x.Code == "BG_COLOR");
        Assert.Contains("light blue", f.Value);
        Assert.StartsWith("ΔE ", f.Value);
        Assert.Equal("≤ 15.0", f.Limit);
    }

    [Fact]
    public void Policy_in_configuration_decides_which_codes_reject()
    {
        var options = new InspectionOptions { Severity = { ["BG_GRADIENT"] = "reject", ["FILE_BYTES"] = "off" } };
        var strict = PhotoInspector.CreateDefault(options);
        var bytes = PortraitGenerator.Jpeg(new PortraitSpec { Gradient = -0.4, Quality = 40 });

        var result = strict.Inspect(bytes, "gradient.jpg", annotate: false);

        Assert.Equal(Verdict.Reject, result.Verdict);
        Assert.Equal(Severity.Reject, result.Findings.Single(f => f.Code == "BG_GRADIENT").Severity);
        Assert.DoesNotContain(result.Findings, f => f.Code == "FILE_BYTES");
    }

    [Fact]
    public void Limits_come_from_configuration()
    {
        var lenient = PhotoInspector.CreateDefault(new InspectionOptions { Background = { MaxGradient = 40 } });

        var result = lenient.Inspect(PortraitGenerator.Jpeg(new PortraitSpec { Gradient = -0.4 }), "g.jpg", annotate: false);

        Assert.Equal(Verdict.Accept, result.Verdict);
    }

    [Fact]
    public void Annotated_evidence_is_a_png_of_the_photo_framed_in_the_verdict_colour()
    {
        var result = Inspector.Inspect(PortraitGenerator.Jpeg(new PortraitSpec { Shadow = 0.3 }), "shadow.jpg");

        Assert.NotNull(result.AnnotatedPng);
        using var png = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(result.AnnotatedPng);
        Assert.Equal((480, 640), (png.Width, png.Height)); // the photo's size: no text panel
        // The frame is orange for a review.
        var frame = png[4, 4];
        Assert.Equal((255, 150, 0), (frame.R, frame.G, frame.B));
    }

    [Fact]
    public void Same_bytes_give_the_same_result()
    {
        var bytes = PortraitGenerator.Jpeg(new PortraitSpec { Shadow = 0.3, Stripes = 14 });

        var a = Inspector.Inspect(bytes, "a.jpg");
        var b = Inspector.Inspect(bytes, "a.jpg");

        Assert.Equal(a.Findings, b.Findings);
        Assert.Equal(a.AnnotatedPng, b.AnnotatedPng);
    }
}
