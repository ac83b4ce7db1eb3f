using System.Globalization;
using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Face;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace CollectionWorker.Tests.Inspection.RealFaces;

/// <summary>The inspector as it ships (the repository's config/appsettings.json), built once, with every calibration photo inspected once.</summary>
public sealed class RealFaceFixture : IAsyncLifetime
{
    private TestHost? _host;
    private Microsoft.Extensions.Hosting.IHost? _app;

    public PhotoInspector Inspector { get; private set; } = null!;
    public FaceDetector Detector { get; private set; } = null!;
    public FaceOptions Options { get; private set; } = null!;
    public Dictionary<string, InspectionResult> Results { get; } = [];

    public async Task InitializeAsync()
    {
        _host = new TestHost(File.ReadAllText(Path.Combine(TestHost.RepoRoot(), "config", "appsettings.json")));
        _app = await _host.BuildAsync();
        Inspector = _app.Services.GetRequiredService<PhotoInspector>();
        Detector = _app.Services.GetRequiredService<FaceDetector>();
        Options = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<FaceOptions>>().Value;
        foreach (var p in CalibrationSet.All) Results[p.Name] = Inspector.Inspect(p.Bytes(), p.Name, annotate: false);
    }

    /// <summary>The face flags' raw measurements on a photo, as the face check takes them (refined points, BlazeFace's own for the frames).</summary>
    public FaceFlagMeasurements MeasureFlags(Image<Rgb24> image)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        var px = new FacePixels(rgb, image.Width, image.Height);
        var face = Detector.Detect(image)[0];
        // The backdrop only enters the ear measurement, which these tests do not read.
        return FaceFlagMeasurements.Measure(px, EyeLocator.Refine(px, face.Landmarks), face.Landmarks, new Lab(95, 0, 0))!;
    }

    public Task DisposeAsync()
    {
        _app?.Dispose();
        _host?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Real people (the calibration photos, see Calibration/README.md): compliant neutral photos pass
/// clean, the flags fire where a person sees the defect and nowhere else, and the landmarks sit on
/// the hand-placed pupils and hair tops.
/// </summary>
public sealed class RealFaceTests(RealFaceFixture f, ITestOutputHelper output) : IClassFixture<RealFaceFixture>
{
    private static string Codes(InspectionResult r, Severity atLeast) =>
        string.Join(", ", r.Findings.Where(x => x.Severity >= atLeast).Select(x => $"{x.Code} ({x.Severity.ToWire()}: {x.Value})"));

    [Fact]
    public void Neutral_photos_are_never_rejected_and_at_least_16_of_17_pass_without_a_flag()
    {
        var neutral = CalibrationSet.Neutral.ToList();
        Assert.Equal(17, neutral.Count);
        foreach (var p in neutral) output.WriteLine($"{p.Name}: {f.Results[p.Name].Verdict.ToWire()} {Codes(f.Results[p.Name], Severity.Review)}");
        Assert.All(neutral, p => Assert.NotEqual(Verdict.Reject, f.Results[p.Name].Verdict));
        var clean = neutral.Count(p => f.Results[p.Name].Findings.All(x => x.Severity == Severity.Info));
        Assert.True(clean >= 16, $"only {clean} of 17 neutral photos pass without a review finding");
    }

    [Fact]
    public void London_129_with_long_hair_beside_the_ears_is_flagged_for_it_and_for_nothing_else()
    {
        var r = f.Results["london_129_neutral.jpg"];
        Assert.Equal([FaceCheck.HairOverEars], r.Findings.Where(x => x.Severity >= Severity.Review).Select(x => x.Code).ToArray());
        // No other neutral photo: short hair above an ear, or a fringe, is not hair over the ears.
        Assert.All(CalibrationSet.Neutral.Where(p => p.Name != "london_129_neutral.jpg"),
            p => Assert.DoesNotContain(f.Results[p.Name].Findings, x => x.Code == FaceCheck.HairOverEars));
    }

    [Fact]
    public void No_real_photo_raises_glasses_eyes_closed_or_hair_over_the_eyes()
    {
        string[] flags = [FaceCheck.Glasses, FaceCheck.EyesClosed, FaceCheck.HairOverEyes];
        foreach (var p in CalibrationSet.All)
            Assert.False(f.Results[p.Name].Findings.Any(x => flags.Contains(x.Code)), $"{p.Name}: {Codes(f.Results[p.Name], Severity.Info)}");
    }

    [Fact]
    public void Smiles_showing_teeth_get_the_mouth_flag_and_closed_lips_never_do()
    {
        bool Flagged(CalibrationPhoto p) => f.Results[p.Name].Findings.Any(x => x.Code == FaceCheck.MouthOpen && x.Severity == Severity.Review);
        var teeth = CalibrationSet.Smiling.Where(p => p.TeethVisible == true).ToList();
        var closed = CalibrationSet.Smiling.Where(p => p.TeethVisible == false).ToList();
        Assert.Equal(12, teeth.Count);
        Assert.Equal(11, closed.Count);
        var hits = teeth.Where(Flagged).ToList();
        output.WriteLine($"mouth flag on teeth smiles: {hits.Count}/{teeth.Count}; missed: {string.Join(", ", teeth.Except(hits).Select(p => p.Name))}");
        output.WriteLine($"mouth flag on closed-lip smiles: {closed.Count(Flagged)}/{closed.Count}; on neutral photos: {CalibrationSet.Neutral.Count(Flagged)}/17");
        Assert.DoesNotContain(closed, Flagged);
        Assert.DoesNotContain(CalibrationSet.Neutral, Flagged);
        Assert.All(teeth, p => Assert.True(Flagged(p), $"{p.Name} shows teeth and was not flagged"));
    }

    /// <summary>
    /// The two measurements behind the mouth flag on all 40 photos, and their margins: every photo that must
    /// stay quiet measures well under each limit, and the thin slivers of teeth that the teeth block misses
    /// (london_121, london_125) measure well over the lip-gap limit.
    /// </summary>
    [Fact]
    public void The_mouth_measurements_keep_a_margin_between_parted_and_closed_lips()
    {
        var o = f.Options;
        var measured = new Dictionary<string, FaceFlagMeasurements>();
        foreach (var p in CalibrationSet.All)
        {
            using var image = Image.Load<Rgb24>(p.File);
            var m = measured[p.Name] = f.MeasureFlags(image);
            var group = p.Neutral ? "neutral" : p.TeethVisible == true ? "teeth" : "closed-lip";
            output.WriteLine($"{p.Name,-24} {group,-10} teeth {m.Teeth:0.0000} (limit {o.TeethMin:0.0000})  lip gap {m.LipGap:0.000} (limit {o.LipGapMin:0.000})");
        }
        var quiet = CalibrationSet.All.Where(p => p.TeethVisible != true).ToList();
        var maxTeeth = quiet.Max(p => measured[p.Name].Teeth);
        var maxGap = quiet.Max(p => measured[p.Name].LipGap);
        var slivers = new[] { "london_121_smiling.jpg", "london_125_smiling.jpg" };
        var minGap = slivers.Min(n => measured[n].LipGap);
        output.WriteLine($"closed lips and neutral mouths (28): teeth at most {maxTeeth:0.0000}, lip gap at most {maxGap:0.000}");
        output.WriteLine($"slivers of teeth between parted lips (121, 125): lip gap at least {minGap:0.000}");
        Assert.True(maxTeeth <= o.TeethMin / 2, $"a closed mouth measures teeth {maxTeeth:0.0000}, over half the limit");
        Assert.True(maxGap <= o.LipGapMin / 2, $"a closed mouth measures a lip gap of {maxGap:0.000}, over half the limit");
        Assert.True(minGap >= o.LipGapMin * 1.8, $"a sliver of teeth measures a lip gap of only {minGap:0.000}");
    }

    [Fact]
    public void Eyes_and_head_top_sit_on_the_hand_placed_landmarks()
    {
        var eyeErrors = new List<double>();
        var lineErrors = new List<double>();
        var topErrors = new List<double>();
        foreach (var p in CalibrationSet.Neutral)
        {
            using var image = Image.Load<Rgb24>(p.File);
            var rgb = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(rgb);
            var face = f.Detector.Detect(image)[0];
            var l = EyeLocator.Refine(new FacePixels(rgb, image.Width, image.Height), face.Landmarks);
            var (left, right) = (p.ImageLeftPupil!.Value, p.ImageRightPupil!.Value);
            // The subject's right eye is on the image's left.
            var e1 = Distance(l.RightEye, left);
            var e2 = Distance(l.LeftEye, right);
            var line = (l.RightEye.Y + l.LeftEye.Y) / 2 - (left.Y + right.Y) / 2;
            var top = HeadTop(p) - p.HairTopY;
            eyeErrors.AddRange([e1, e2]);
            lineErrors.Add(Math.Abs(line));
            topErrors.Add(Math.Abs(top));
            output.WriteLine($"{p.Name}: eyes {e1:0.0} / {e2:0.0} px from the pupils, eye line {line:+0.0;-0.0} px, head top {top:+0;-0} px");
        }
        output.WriteLine(Summary("eye centre", eyeErrors));
        output.WriteLine(Summary("eye line", lineErrors));
        output.WriteLine(Summary("head top", topErrors));
        Assert.All(lineErrors, e => Assert.True(e <= 6, $"eye line {e:0.0} px from the pupils"));
        Assert.All(topErrors, e => Assert.True(e <= 6, $"head top {e:0} px from the hair top"));
        // Eye centres: the median is well inside 6 px; one blue eye under a heavy lash line (london_139) sits 7.8 px low.
        Assert.True(Median(eyeErrors) <= 3, Summary("eye centre", eyeErrors));
        Assert.True(eyeErrors.Count(e => e > 6) <= 1, Summary("eye centre", eyeErrors));
        Assert.All(eyeErrors, e => Assert.True(e <= 8, $"eye {e:0.0} px from the pupil"));
    }

    /// <summary>The head top the inspection measured (its evidence note), through the same path as intake.</summary>
    private int HeadTop(CalibrationPhoto p)
    {
        using var image = Image.Load<Rgb24>(p.File);
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        var photo = new PhotoAnalysis(image.Width, image.Height, rgb, new InspectionOptions());
        new FaceCheck(f.Detector, Microsoft.Extensions.Options.Options.Create(new FaceOptions())).Run(photo, new FindingSink(f.Inspector.Catalog));
        var note = photo.Evidence.Notes.Single(n => n.StartsWith("HEAD TOP ", StringComparison.Ordinal));
        return int.Parse(note["HEAD TOP ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static double Distance(FacePoint a, (float X, float Y) b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
    private static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
    private static string Summary(string what, List<double> v) => $"{what}: max {v.Max():0.0} px, median {Median(v):0.0} px, over {v.Count}";
}
