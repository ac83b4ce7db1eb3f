using System.Runtime.Intrinsics;

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
        var p98 = ChromaPercentile(photo.Patches.Color, 98);
        var limit = photo.Options.File.MinColorChroma;
        photo.Evidence.Note($"COLOUR CHROMA P98 {Format.N(p98)}");
        if (p98 >= limit || findings.Has(FileFindings.ColorDepth)) return;
        // A trace of colour (a sepia or heavily desaturated photo) is for a person to judge; none at all is grayscale.
        findings.Add(FileFindings.ColorDepth, $"chroma {Format.N(p98)} (98th percentile over the photo): no colour, a black-and-white photo",
            $"≥ {Format.N(limit)} (a colour photo)", "照片是黑白（灰度）照片，标准要求彩色照片，请上传照相馆的彩色原图。",
            "The photo is black and white (grayscale); the standard requires a colour photo: upload the studio's colour original.",
            atMostReview: p98 >= limit / 2);
    }

    /// <summary>
    /// <see cref="Stats.PercentileOfNonNegative"/> of the colours' chroma, the same float: each chroma's bin
    /// ⌊√(a²+b²) / 0.05⌋ (capped at 4000) straight into the histogram, the square roots and divisions 8 at a
    /// time where the CPU has 256-bit vectors (they round exactly as the scalar ones do).
    /// </summary>
    internal static float ChromaPercentile(ReadOnlySpan<Lab> colors, double percent)
    {
        const float step = 0.05f;
        const int last = 4000;
        if (colors.Length == 0) return float.NaN;
        Span<int> bins = stackalloc int[last + 1];
        Span<float> squares = stackalloc float[256];
        Span<int> block = stackalloc int[256];
        for (var start = 0; start < colors.Length; start += squares.Length)
        {
            var n = Math.Min(squares.Length, colors.Length - start);
            var finite = true;
            for (var i = 0; i < n; i++)
            {
                var c = colors[start + i];
                var s = c.A * c.A + c.B * c.B;
                finite &= s < float.PositiveInfinity; // false for NaN too
                squares[i] = s;
            }
            var x = 0;
            if (Vector256.IsHardwareAccelerated && finite)
            {
                // Capped in float before the conversion: for a finite non-negative q, (int)min(q, 4000) = min((int)q, 4000).
                var cap = Vector256.Create((float)last);
                var divisor = Vector256.Create(step);
                for (; x + 8 <= n; x += 8)
                {
                    var q = Vector256.Sqrt(Vector256.Create<float>(squares[x..])) / divisor;
                    Vector256.ConvertToInt32(Vector256.Min(q, cap)).CopyTo(block[x..]);
                }
            }
            for (; x < n; x++) block[x] = Math.Clamp((int)(MathF.Sqrt(squares[x]) / step), 0, last);
            foreach (var b in block[..n]) bins[b]++;
        }
        var rank = (int)Math.Ceiling(percent / 100 * colors.Length);
        for (int b = 0, seen = 0; b <= last; b++)
        {
            seen += bins[b];
            if (seen >= rank) return (b + 0.5f) * step;
        }
        return (last + 1) * step;
    }
}
