using CollectionWorker.Inspection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CollectionWorker.Tests.Inspection;

/// <summary>#19 item 9 (rendering): the evidence image has no words on it and reads at the review sheet's thumbnail size.</summary>
public class EvidenceImageTests
{
    private static readonly PhotoInspector Inspector = PhotoInspector.CreateDefault();

    public static TheoryData<string, int, int, int> Verdicts => new()
    {
        { "compliant", 0, 200, 60 },      // green: accepted
        { "shadow", 255, 150, 0 },        // orange: for the studio to look at
        { "red backdrop", 230, 30, 30 },  // red: rejected
    };

    private static PortraitSpec Spec(string name) => name switch
    {
        "shadow" => new PortraitSpec { Shadow = 0.3 },
        "red backdrop" => new PortraitSpec { Background = new Rgb(200, 40, 40) },
        _ => new PortraitSpec(),
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void The_verdict_frame_stays_clear_at_thumbnail_size(string name, int r, int g, int b)
    {
        var result = Inspector.Inspect(PortraitGenerator.Jpeg(Spec(name)), name + ".jpg");
        using var png = Image.Load<Rgb24>(result.AnnotatedPng!);
        Assert.Equal((480, 640), (png.Width, png.Height)); // the photo alone: no side panel of text

        // As the review sheet shows it: 120 x 160.
        png.Mutate(x => x.Resize(120, 160));
        var ring = new List<Rgb24>();
        for (var x = 0; x < 120; x++) { ring.Add(png[x, 1]); ring.Add(png[x, 158]); }
        for (var y = 0; y < 160; y++) { ring.Add(png[1, y]); ring.Add(png[118, y]); }
        var close = ring.Count(p => Math.Abs(p.R - r) + Math.Abs(p.G - g) + Math.Abs(p.B - b) < 40);
        Assert.True(close >= ring.Count * 0.95, $"{name}: only {close} of {ring.Count} edge pixels show the verdict colour at thumbnail size");
    }
}
