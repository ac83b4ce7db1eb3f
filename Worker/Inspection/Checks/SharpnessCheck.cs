using System.Numerics;

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
        long sum, sum2, n;
        using (var luma = RectLuma.Of(photo, r))
            (sum, sum2, n) = Laplacian(luma.Pixels, r.Width, r.Height);
        if (n == 0) return;
        // Integer sums, exact: the same doubles as summing each pixel's Laplacian into a double (every partial sum is far below 2^53).
        var mean = (double)sum / n;
        var variance = (double)sum2 / n - mean * mean;
        var limit = photo.Options.Light.MinSharpness;
        photo.Evidence.Region(r, Rgb.Cyan, $"SHARPNESS {Format.N(variance, "0")}");
        if (variance < limit)
            findings.Add(Code, $"Laplacian variance {Format.N(variance)}", $"≥ {Format.N(limit)}");
    }

    /// <summary>
    /// Sum, sum of squares and count of the 4-neighbour Laplacian 4c − l − r − u − d over the inner pixels of a
    /// luma plane (width x height, row by row). A vector of pixels per step where the CPU has vectors: the
    /// Laplacian fits 16 bits (±1020) and its square 32; each row's lanes are added up in 64 bits.
    /// </summary>
    internal static (long Sum, long SumOfSquares, long Count) Laplacian(ReadOnlySpan<byte> luma, int width, int height)
    {
        if (width < 3 || height < 3) return (0, 0, 0);
        long sum = 0, sum2 = 0;
        var step = Vector<byte>.Count;
        // A lane takes width / (step / 4) squares of at most 1,040,400 per row: well inside 32 bits below this width.
        var vectors = Vector.IsHardwareAccelerated && width <= 8192;
        for (var y = 1; y < height - 1; y++)
        {
            var up = luma.Slice((y - 1) * width, width);
            var mid = luma.Slice(y * width, width);
            var down = luma.Slice((y + 1) * width, width);
            var x = 1;
            if (vectors)
            {
                var s = Vector<int>.Zero;
                var q = Vector<int>.Zero;
                for (; x + step <= width - 1; x += step)
                {
                    Vector.Widen(new Vector<byte>(mid[x..]), out var c0, out var c1);
                    Vector.Widen(new Vector<byte>(mid[(x - 1)..]), out var l0, out var l1);
                    Vector.Widen(new Vector<byte>(mid[(x + 1)..]), out var r0, out var r1);
                    Vector.Widen(new Vector<byte>(up[x..]), out var u0, out var u1);
                    Vector.Widen(new Vector<byte>(down[x..]), out var d0, out var d1);
                    var lap0 = Vector.AsVectorInt16((c0 << 2) - l0 - r0 - u0 - d0);
                    var lap1 = Vector.AsVectorInt16((c1 << 2) - l1 - r1 - u1 - d1);
                    Vector.Widen(lap0, out var a, out var b);
                    Vector.Widen(lap1, out var c, out var d);
                    s += a + b + c + d;
                    q += a * a + b * b + c * c + d * d;
                }
                sum += Vector.Sum(s);
                Vector.Widen(q, out var q0, out var q1);
                sum2 += Vector.Sum(q0 + q1);
            }
            for (; x < width - 1; x++)
            {
                var lap = 4 * mid[x] - mid[x - 1] - mid[x + 1] - up[x] - down[x];
                sum += lap;
                sum2 += lap * lap;
            }
        }
        return (sum, sum2, (long)(width - 2) * (height - 2));
    }
}
