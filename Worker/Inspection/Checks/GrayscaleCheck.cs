using System.Buffers;

namespace CollectionWorker.Inspection.Checks;

/// <summary>
/// A black-and-white photo, whatever its channel count: the standard asks for a colour photo, and a
/// grayscale picture saved as a 3-channel JPEG passes the file stage. Every colour photo has some
/// colour somewhere (skin, lips, the backdrop), so the 98th percentile of the patches' chroma is
/// measured over the whole frame. Reported under the file stage's colour code.
/// </summary>
public sealed class GrayscaleCheck : IPhotoCheck
{
    public int Order => 90;

    // FILE_COLOR is the file stage's code, already in the catalog.
    public IReadOnlyList<FindingDefinition> Definitions { get; } = [];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var colors = photo.Patches.Color;
        var chroma = ArrayPool<float>.Shared.Rent(colors.Length);
        for (var i = 0; i < colors.Length; i++) chroma[i] = colors[i].Chroma;
        var p98 = Stats.PercentileOfNonNegative(chroma.AsSpan(0, colors.Length), 98);
        ArrayPool<float>.Shared.Return(chroma);
        var limit = photo.Options.File.MinColorChroma;
        photo.Evidence.Note($"COLOUR CHROMA P98 {Format.N(p98)}");
        if (p98 >= limit || findings.Has(FileFindings.ColorDepth)) return;
        // A trace of colour (a sepia or heavily desaturated photo) is for a person to judge; none at all is grayscale.
        findings.Add(FileFindings.ColorDepth, $"chroma {Format.N(p98)} (98th percentile over the photo): no colour, a black-and-white photo",
            $"≥ {Format.N(limit)} (a colour photo)", "照片是黑白（灰度）照片，标准要求彩色照片，请上传照相馆的彩色原图。",
            "The photo is black and white (grayscale); the standard requires a colour photo: upload the studio's colour original.",
            atMostReview: p98 >= limit / 2);
    }
}
