namespace CollectionWorker.Inspection.Checks;

/// <summary>Focus: variance of the Laplacian of luma over the head region (hair outline, eyes, features).</summary>
public sealed class SharpnessCheck : IPhotoCheck
{
    public const string Code = "BLUR";

    public int Order => 220;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Code, Severity.Review, "照片模糊（对焦不准或抖动），请重拍清晰的照片。", "The photo is blurred (out of focus or shaken); reshoot a sharp photo."),
    ];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var r = photo.HeadRegion;
        if (r.Width < 3 || r.Height < 3) return;
        var w = r.Width;
        var luma = photo.Luma(r);
        double sum = 0, sum2 = 0;
        long n = 0;
        for (var y = 1; y < r.Height - 1; y++)
        {
            var o = y * w;
            for (var x = 1; x < w - 1; x++)
            {
                var i = o + x;
                var lap = 4 * luma[i] - luma[i - 1] - luma[i + 1] - luma[i - w] - luma[i + w];
                sum += lap;
                sum2 += lap * lap;
                n++;
            }
        }
        if (n == 0) return;
        var mean = sum / n;
        var variance = sum2 / n - mean * mean;
        var limit = photo.Options.Light.MinSharpness;
        photo.Evidence.Region(r, Rgb.Cyan, $"SHARPNESS {Format.N(variance, "0")}");
        if (variance < limit)
            findings.Add(Code, $"Laplacian variance {Format.N(variance)}", $"≥ {Format.N(limit)}");
    }
}
