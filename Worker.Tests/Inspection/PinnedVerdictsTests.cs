using System.Text;
using CollectionWorker.Host.Demo;
using CollectionWorker.Inspection;
using CollectionWorker.Tests.Inspection.Face;
using CollectionWorker.Tests.Inspection.RealFaces;
using CollectionWorker.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using Xunit.Abstractions;

namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// Speed work must not move a single verdict or finding: every real calibration photo, defects derived
/// from four of them, the drawn portraits of the image checks and the drawn faces of the face rules are
/// inspected with the shipped configuration and compared, line by line (verdict, code, severity, value
/// text), with <c>Pinned/verdicts.tsv</c>, which was written from main before any speed change (issue 18).
/// After a deliberate change of the checks, rewrite it with <c>CW_WRITE_PINNED_VERDICTS=1</c> (the test
/// then writes the file and fails, so a run with the variable set never passes) and review the diff.
/// </summary>
public sealed class PinnedVerdictsTests(RealFaceFixture f, ITestOutputHelper output) : IClassFixture<RealFaceFixture>
{
    public static string PinnedFile => Path.Combine(TestHost.RepoRoot(), "Worker.Tests", "Inspection", "Pinned", "verdicts.tsv");

    [Fact]
    public void Every_verdict_and_finding_is_the_pinned_one()
    {
        var actual = Table(PinnedPhotos().Select(p => f.Inspector.Inspect(p.Bytes, p.Name, annotate: false)));

        if (Environment.GetEnvironmentVariable("CW_WRITE_PINNED_VERDICTS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(PinnedFile)!);
            File.WriteAllText(PinnedFile, actual);
            Assert.Fail($"CW_WRITE_PINNED_VERDICTS=1: wrote {PinnedFile}; review its diff and run again without the variable.");
        }

        AssertPinned(actual);
    }

    [Fact]
    public async Task Inspected_four_at_a_time_every_verdict_and_finding_is_still_the_pinned_one()
    {
        var results = new List<InspectionResult>();
        await foreach (var (_, r) in OrderedParallel.SelectAsync(PinnedPhotos(),
            (p, _) => Task.FromResult(f.Inspector.Inspect(p.Bytes, p.Name, annotate: false)), parallelism: 4))
            results.Add(r);
        AssertPinned(Table(results));
    }

    private void AssertPinned(string actual)
    {
        var expected = File.ReadAllText(PinnedFile).ReplaceLineEndings("\n").Split('\n');
        var lines = actual.Split('\n');
        var missing = expected.Except(lines).ToList();
        var extra = lines.Except(expected).ToList();
        foreach (var l in missing) output.WriteLine("- " + l);
        foreach (var l in extra) output.WriteLine("+ " + l);
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{missing.Count} pinned line(s) no longer produced, {extra.Count} new line(s); first: {missing.Concat(extra).FirstOrDefault()}");
        Assert.Equal(expected, lines);
    }

    [Fact]
    public void The_pinned_table_covers_every_kind_of_photo_and_verdict()
    {
        var pinned = File.ReadAllLines(PinnedFile);
        var photos = pinned.Skip(1).Select(l => l.Split('\t')[0]).Distinct().ToList();
        Assert.Equal(PinnedPhotos().Select(p => p.Name), photos);
        Assert.Equal(40, photos.Count(p => p.StartsWith("london_") && p.EndsWith(".jpg")));
        foreach (var verdict in new[] { "accept", "review", "reject" })
            Assert.Contains(pinned, l => l.Split('\t')[1] == verdict);
        // The small second face only the 256 network finds.
        Assert.Contains(pinned, l => l.StartsWith("drawn-face.second-face\t") && l.Contains("FACE_MULTIPLE"));
    }

    /// <summary>One line per finding (one line with empty fields for a photo without any): photo, verdict, code, severity, value.</summary>
    public static string Table(IEnumerable<InspectionResult> results)
    {
        var s = new StringBuilder("photo\tverdict\tcode\tseverity\tvalue");
        foreach (var r in results)
        {
            if (r.Findings.Count == 0) s.Append('\n').Append(r.FileName).Append('\t').Append(r.Verdict.ToWire()).Append("\t\t\t");
            foreach (var x in r.Findings)
                s.Append('\n').Append(r.FileName).Append('\t').Append(r.Verdict.ToWire()).Append('\t').Append(x.Code)
                    .Append('\t').Append(x.Severity.ToWire()).Append('\t').Append(Clean(x.Value));
        }
        return s.ToString();
    }

    private static string Clean(string s) => s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>The photos of the table, in its order.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> PinnedPhotos()
    {
        foreach (var p in CalibrationSet.All) yield return (p.Name, p.Bytes());

        foreach (var name in new[] { "london_118_neutral.jpg", "london_119_neutral.jpg", "london_126_neutral.jpg", "london_137_neutral.jpg" })
        {
            var p = CalibrationSet.Get(name);
            foreach (var (tag, make) in Derivations)
                using (var image = make(p))
                    yield return ($"{name}.{tag}", Derive.Jpeg(image));
        }

        foreach (var row in PhotoChecksTests.Compliant.Concat(PhotoChecksTests.Defects))
            yield return ($"portrait.{row[0]}", PortraitGenerator.Jpeg((PortraitSpec)row[1]));

        foreach (var defect in DrawnFaceDefects)
        {
            using var image = (defect == "none" ? new SyntheticFace() : FaceRulesTests.Portrait(defect)).Render();
            using var jpeg = new MemoryStream();
            image.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 92 });
            yield return ($"drawn-face.{defect}", jpeg.ToArray());
        }

        using (var plain = new Image<Rgb24>(480, 640, new Rgb24(100, 197, 255)))
        {
            using var jpeg = new MemoryStream();
            plain.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 92 });
            yield return ("drawn-face.no-face", jpeg.ToArray());
        }
    }

    private static readonly (string Tag, Func<CalibrationPhoto, Image<Rgb24>> Make)[] Derivations =
    [
        ("white", p => Derive.OnBackdrop(p, new Rgb24(255, 255, 255))),
        ("red", p => Derive.OnBackdrop(p, new Rgb24(200, 40, 40))),
        ("dark-0.55", p => Derive.Darker(p, 0.55f)),
        ("grayscale", Derive.Grayscale),
        ("shifted-60", p => Derive.Shifted(p, 60, 0)),
        ("smaller-0.7", p => Derive.Smaller(p, 0.7f)),
        ("rotated-12", p => Derive.Rotated(p, 12)),
        ("eyes-closed", Derive.EyesClosed),
        ("glasses", p => Derive.Glasses(p)),
    ];

    private static readonly string[] DrawnFaceDefects =
    [
        "none", "second-face", "head-top-too-high", "head-top-too-low", "eyes-too-low", "eyes-too-high", "face-too-small",
        "face-too-large", "off-centre", "tilted", "turned", "shoulders", "stretched",
    ];
}
