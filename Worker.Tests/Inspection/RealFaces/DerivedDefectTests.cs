using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Checks;
using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace CollectionWorker.Tests.Inspection.RealFaces;

/// <summary>
/// Defects derived from the compliant real photos, as the product meets them from students it never
/// saw: every hard defect is rejected (never let through), every compliant variant is never rejected.
/// </summary>
public sealed class DerivedDefectTests(RealFaceFixture f, ITestOutputHelper output) : IClassFixture<RealFaceFixture>
{
    private InspectionResult Inspect(Image<Rgb24> image, string name)
    {
        using (image) return f.Inspector.Inspect(Derive.Jpeg(image), name, annotate: false);
    }

    private void Show(InspectionResult r) =>
        output.WriteLine($"{r.FileName}: {r.Verdict.ToWire()} {string.Join(", ", r.Findings.Where(x => x.Severity != Severity.Info).Select(x => $"{x.Code} ({x.Value})"))}");

    [Fact]
    public void On_white_and_light_gray_backdrops_real_photos_are_never_rejected()
    {
        foreach (var p in CalibrationSet.Neutral)
            foreach (var (backdrop, name) in new[] { (new Rgb24(255, 255, 255), "white"), (new Rgb24(240, 240, 240), "gray") })
            {
                var r = Inspect(Derive.OnBackdrop(p, backdrop), $"{p.Name}.{name}");
                Show(r);
                Assert.NotEqual(Verdict.Reject, r.Verdict);
                // The white T-shirt on a white or gray backdrop may be flagged (the standard wants clothing
                // clearly different from it); nothing about the face or the backdrop itself may be.
                Assert.All(r.Findings.Where(x => x.Severity != Severity.Info),
                    x => Assert.True(x.Code is ClothingCheck.LikeBackground or FaceCheck.HairOverEars, $"{r.FileName}: {x.Code} {x.Value}"));
            }
    }

    [Fact]
    public void A_wrong_backdrop_colour_a_dark_exposure_and_a_black_and_white_photo_are_rejected()
    {
        foreach (var p in CalibrationSet.Neutral)
        {
            var red = Inspect(Derive.OnBackdrop(p, new Rgb24(200, 40, 40)), p.Name + ".red");
            var dark = Inspect(Derive.Darker(p, 0.55f), p.Name + ".dark");
            var gray = Inspect(Derive.Grayscale(p), p.Name + ".grayscale");
            foreach (var r in new[] { red, dark, gray }) Show(r);
            Assert.Contains(red.Findings, x => x.Code == BackgroundColorCheck.Color && x.Severity == Severity.Reject);
            Assert.Equal(Verdict.Reject, dark.Verdict);
            var colour = Assert.Single(gray.Findings, x => x.Code == FileFindings.ColorDepth);
            Assert.Equal(Severity.Reject, colour.Severity);
            Assert.StartsWith("chroma 0.", colour.Value);
        }
    }

    [Theory]
    [InlineData("london_119_neutral.jpg")]
    [InlineData("london_131_neutral.jpg")]
    [InlineData("london_173_neutral.jpg")]
    public void A_striped_shirt_on_white_is_a_pattern_and_never_clutter(string name)
    {
        var p = CalibrationSet.Get(name);
        foreach (var (backdrop, tag) in new[] { (new Rgb24(255, 255, 255), "white"), (new Rgb24(240, 240, 240), "gray") })
        {
            var r = Inspect(Derive.StripedShirtOn(p, backdrop), $"{name}.stripes-{tag}");
            Show(r);
            Assert.DoesNotContain(r.Findings, x => x.Code == ClutterCheck.Code);
            Assert.Contains(r.Findings, x => x.Code == ClothingCheck.Pattern);
            Assert.NotEqual(Verdict.Reject, r.Verdict);
        }
    }

    [Fact]
    public void A_photo_at_three_quarters_of_its_exposure_is_flagged_too_dark_and_never_passes_clean()
    {
        foreach (var p in CalibrationSet.Neutral)
        {
            var r = Inspect(Derive.Darker(p, 0.75f), p.Name + ".dark-0.75");
            Show(r);
            // The face alone cannot tell (a darkened light face looks like darker skin); the light backdrop can.
            Assert.Contains(r.Findings, x => x.Code == ExposureCheck.Dark && x.Severity >= Severity.Review);
        }
    }

    [Fact]
    public void Shut_eyes_and_frames_are_flagged_on_every_real_face()
    {
        foreach (var p in CalibrationSet.Neutral)
        {
            var closed = Inspect(Derive.EyesClosed(p), p.Name + ".eyes-closed");
            var glasses = Inspect(Derive.Glasses(p), p.Name + ".glasses");
            Assert.True(closed.Findings.Any(x => x.Code == FaceCheck.EyesClosed), $"{p.Name}: shut eyes not flagged");
            Assert.True(glasses.Findings.Any(x => x.Code == FaceCheck.Glasses), $"{p.Name}: frames not flagged");
            Assert.DoesNotContain(glasses.Findings, x => x.Code == FaceCheck.EyesClosed);
        }
    }

    /// <summary>Changes a compliant photo meets on its way to us (re-save, mirror, exposure, colour, framing), each with the JPEG quality it is saved at.</summary>
    private static readonly (string Name, Func<CalibrationPhoto, Image<Rgb24>> Make, int Quality)[] HarmlessChanges =
    [
        ("quality-60", Derive.Load, 60),
        ("mirrored", p => Derive.Load(p).Clone(x => x.Flip(FlipMode.Horizontal)), 90),
        ("8%-darker", p => Derive.Darker(p, 0.92f), 90),
        ("8%-brighter", p => Derive.Darker(p, 1.08f), 90),
        ("less-saturated", p => Derive.Load(p).Clone(x => x.Saturate(0.8f)), 90),
        ("less-contrast", p => Derive.Load(p).Clone(x => x.Contrast(0.9f)), 90),
        ("10-px-right", p => Derive.Shifted(p, 10, 0), 90),
        ("3°-tilt", p => Derive.Rotated(p, 3), 90),
    ];

    [Fact]
    public void Harmless_changes_to_a_compliant_photo_never_reject_it_and_rarely_flag_it()
    {
        foreach (var (name, make, quality) in HarmlessChanges)
        {
            var flagged = 0;
            foreach (var p in CalibrationSet.Neutral)
            {
                using var image = make(p);
                var r = f.Inspector.Inspect(Derive.Jpeg(image, quality), $"{p.Name}.{name}", annotate: false);
                Assert.NotEqual(Verdict.Reject, r.Verdict);
                if (r.Verdict != Verdict.Accept)
                {
                    flagged++;
                    Show(r);
                }
            }
            output.WriteLine($"{name}: {17 - flagged}/17 clean");
            // london_129 is flagged for its hair in every variation; one more is the most allowed.
            Assert.True(flagged <= 2, $"{name}: {flagged} of 17 compliant photos flagged");
        }
    }

    /// <summary>
    /// Closed mouths stay closed through the same harmless changes: no re-save, mirror, exposure, colour or
    /// tilt of a neutral photo or a closed-lip smile raises the mouth flag, and the lip gap stays under half
    /// its limit (the margin the calibration photos have).
    /// </summary>
    [Fact]
    public void Harmless_changes_never_open_a_closed_mouth()
    {
        var closed = CalibrationSet.All.Where(p => p.TeethVisible != true).ToList();
        Assert.Equal(28, closed.Count);
        foreach (var (name, make, quality) in HarmlessChanges)
        {
            double maxTeeth = 0, maxGap = 0;
            var worst = "";
            foreach (var p in closed)
            {
                using var image = make(p);
                var bytes = Derive.Jpeg(image, quality);
                var r = f.Inspector.Inspect(bytes, $"{p.Name}.{name}", annotate: false);
                Assert.False(r.Findings.Any(x => x.Code == FaceCheck.MouthOpen), $"{p.Name}.{name}: {string.Join(", ", r.Findings.Select(x => $"{x.Code} ({x.Value})"))}");
                using var saved = Image.Load<Rgb24>(bytes);
                var m = f.MeasureFlags(saved);
                maxTeeth = Math.Max(maxTeeth, m.Teeth);
                if (m.LipGap >= maxGap) (maxGap, worst) = (m.LipGap, p.Name);
            }
            output.WriteLine($"{name}: 28 closed mouths, teeth at most {maxTeeth:0.0000}, lip gap at most {maxGap:0.000} ({worst})");
            // The teeth block's own margin is thinner: grey stubble re-saved at quality 60 reaches 0.0007 (limit 0.001).
            Assert.True(maxTeeth < f.Options.TeethMin, $"{name}: teeth {maxTeeth:0.0000}");
            Assert.True(maxGap <= f.Options.LipGapMin / 2, $"{name}: lip gap {maxGap:0.000} on {worst}");
        }
    }

    [Fact]
    public void Colour_photos_are_never_taken_for_black_and_white()
    {
        Assert.All(CalibrationSet.All, p => Assert.DoesNotContain(f.Results[p.Name].Findings, x => x.Code == FileFindings.ColorDepth));
    }

    [Theory]
    [InlineData("london_118_neutral.jpg")]
    [InlineData("london_126_neutral.jpg")]
    [InlineData("london_137_neutral.jpg")]
    [InlineData("london_142_neutral.jpg")]
    public void An_offset_a_small_head_and_a_tilt_are_rejected(string name)
    {
        var p = CalibrationSet.Get(name);
        var shifted = Inspect(Derive.Shifted(p, 60, 0), name + ".shifted");
        var small = Inspect(Derive.Smaller(p, 0.7f), name + ".small");
        var tilted = Inspect(Derive.Rotated(p, 12), name + ".tilted");
        foreach (var r in new[] { shifted, small, tilted }) Show(r);
        Assert.Contains(shifted.Findings, x => x.Code == FaceRules.OffCentre && x.Severity == Severity.Reject);
        Assert.Equal(Verdict.Reject, small.Verdict);
        Assert.Contains(small.Findings, x => x.Code == FaceRules.Width);
        Assert.Contains(tilted.Findings, x => x.Code == FaceRules.Roll && x.Severity == Severity.Reject);
    }

    [Theory]
    [InlineData("london_118_neutral.jpg")] // light skin, blue eyes
    [InlineData("london_126_neutral.jpg")] // dark skin
    [InlineData("london_137_neutral.jpg")] // very dark skin
    [InlineData("london_119_neutral.jpg")] // East Asian
    public void Shut_eyes_and_glasses_drawn_onto_a_real_face_raise_their_own_flag(string name)
    {
        var p = CalibrationSet.Get(name);
        var closed = Inspect(Derive.EyesClosed(p), name + ".eyes-closed");
        var glasses = Inspect(Derive.Glasses(p), name + ".glasses");
        var thin = Inspect(Derive.Glasses(p, thickness: 0.02f), name + ".thin-glasses");
        Show(closed);
        Show(glasses);
        Show(thin);
        Assert.Contains(thin.Findings, x => x.Code == FaceCheck.Glasses && x.Severity == Severity.Review);
        Assert.Contains(closed.Findings, x => x.Code == FaceCheck.EyesClosed && x.Severity == Severity.Review);
        Assert.Contains(glasses.Findings, x => x.Code == FaceCheck.Glasses && x.Severity == Severity.Review);
        Assert.DoesNotContain(glasses.Findings, x => x.Code == FaceCheck.EyesClosed);
    }
}
