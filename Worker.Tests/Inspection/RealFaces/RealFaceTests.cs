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
    public Dictionary<string, InspectionResult> Results { get; } = [];

    public async Task InitializeAsync()
    {
        _host = new TestHost(File.ReadAllText(Path.Combine(TestHost.RepoRoot(), "config", "appsettings.json")));
        _app = await _host.BuildAsync();
        Inspector = _app.Services.GetRequiredService<PhotoInspector>();
        Detector = _app.Services.GetRequiredService<FaceDetector>();
        foreach (var p in CalibrationSet.All) Results[p.Name] = Inspector.Inspect(p.Bytes(), p.Name, annotate: false);
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
        Assert.Equal(23, teeth.Count + closed.Count);
        var hits = teeth.Where(Flagged).ToList();
        output.WriteLine($"mouth flag on teeth smiles: {hits.Count}/{teeth.Count}; missed: {string.Join(", ", teeth.Except(hits).Select(p => p.Name))}");
        output.WriteLine($"mouth flag on closed-lip smiles: {closed.Count(Flagged)}/{closed.Count}; on neutral photos: {CalibrationSet.Neutral.Count(Flagged)}/17");
        Assert.DoesNotContain(closed, Flagged);
        Assert.DoesNotContain(CalibrationSet.Neutral, Flagged);
        // Honest limit: two smiles show only a one-pixel sliver of teeth between parted lips and are missed.
        Assert.True(hits.Count >= 10, $"the mouth flag caught only {hits.Count} of {teeth.Count} smiles showing teeth");
        foreach (var broad in new[] { "london_118_smiling.jpg", "london_126_smiling.jpg", "london_128_smiling.jpg", "london_129_smiling.jpg", "london_130_smiling.jpg", "london_134_smiling.jpg", "london_137_smiling.jpg", "london_139_smiling.jpg" })
            Assert.True(Flagged(CalibrationSet.Get(broad)), $"{broad} shows teeth plainly and was not flagged");
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
