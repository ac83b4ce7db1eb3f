using System.Buffers;
using System.Runtime.InteropServices;
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
    /// <see cref="Stats.PercentileOfNonNegative"/> of the colours' chroma, the same float. A chroma's bin
    /// ⌊√(a²+b²) / 0.05⌋ (capped at 4000) never falls as a²+b² grows (the square root, the division and the
    /// truncation all keep order), so the bin the histogram walk would stop at is the bin of the a²+b² at the
    /// rank: one selection among the squares, and one square root. Squares that are not finite (NaN bins as 0,
    /// out of that order) take the histogram.
    /// </summary>
    internal static float ChromaPercentile(ReadOnlySpan<Lab> colors, double percent)
    {
        if (colors.Length == 0) return float.NaN;
        var rank = (int)Math.Ceiling(percent / 100 * colors.Length);
        var squares = ArrayPool<float>.Shared.Rent(colors.Length);
        try
        {
            var values = squares.AsSpan(0, colors.Length);
            if (!ChromaSquares(colors, values))
            {
                // The definition itself, whose histogram bins a NaN chroma as 0.
                for (var i = 0; i < values.Length; i++) values[i] = colors[i].Chroma;
                return Stats.PercentileOfNonNegative(values, percent);
            }
            // The walk stops at the first bin when no value is needed, and runs past the last when more are needed than there are.
            if (rank <= 0) return 0.5f * Step;
            if (rank > values.Length) return (LastBin + 1) * Step;
            return (Bin(SampledSelect.AtRank(values, rank - 1)) + 0.5f) * Step;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(squares);
        }
    }

    // Stats.PercentileOfNonNegative's histogram: bins of 0.05, the last (4000) holding everything from 200 up.
    private const float Step = 0.05f;
    private const int LastBin = 4000;

    private static int Bin(float square) => Math.Clamp((int)(MathF.Sqrt(square) / Step), 0, LastBin);

    /// <summary>
    /// a² + b² of every colour, as <c>c.A * c.A + c.B * c.B</c> computes it; false if any is not finite. Eight
    /// colours (24 floats) per step where the CPU has 256-bit vectors: the three vectors squared, then each
    /// colour's a² and b² gathered from them by constant shuffles.
    /// </summary>
    internal static bool ChromaSquares(ReadOnlySpan<Lab> colors, Span<float> squares)
    {
        var floats = MemoryMarshal.Cast<Lab, float>(colors);
        var x = 0;
        var finite = true;
        if (Vector256.IsHardwareAccelerated)
        {
            var infinity = Vector256.Create(float.PositiveInfinity);
            var allFinite = Vector256<int>.AllBitsSet;
            ref var f = ref MemoryMarshal.GetReference(floats);
            ref var s = ref MemoryMarshal.GetReference(squares);
            // Lanes 0-2 of the result come from the first vector, 3-4 (a) or 2-4 (b) from the second, the rest from the third.
            var fromFirstA = Vector256.Create(-1, -1, -1, 0, 0, 0, 0, 0).AsSingle();
            var fromSecondA = Vector256.Create(0, 0, 0, -1, -1, 0, 0, 0).AsSingle();
            var fromFirstB = Vector256.Create(-1, -1, 0, 0, 0, 0, 0, 0).AsSingle();
            var fromSecondB = Vector256.Create(0, 0, -1, -1, -1, 0, 0, 0).AsSingle();
            for (; x + 8 <= colors.Length; x += 8)
            {
                // Floats 24x .. 24x+23: L0 A0 B0 L1 A1 B1 L2 A2 | B2 L3 A3 B3 L4 A4 B4 L5 | A5 B5 L6 A6 B6 L7 A7 B7.
                var q0 = Vector256.LoadUnsafe(ref f, (nuint)(x * 3));
                var q1 = Vector256.LoadUnsafe(ref f, (nuint)(x * 3 + 8));
                var q2 = Vector256.LoadUnsafe(ref f, (nuint)(x * 3 + 16));
                q0 *= q0;
                q1 *= q1;
                q2 *= q2;
                var a = Vector256.ConditionalSelect(fromFirstA, Vector256.Shuffle(q0, Vector256.Create(1, 4, 7, 0, 0, 0, 0, 0)),
                    Vector256.ConditionalSelect(fromSecondA, Vector256.Shuffle(q1, Vector256.Create(0, 0, 0, 2, 5, 0, 0, 0)),
                        Vector256.Shuffle(q2, Vector256.Create(0, 0, 0, 0, 0, 0, 3, 6))));
                var b = Vector256.ConditionalSelect(fromFirstB, Vector256.Shuffle(q0, Vector256.Create(2, 5, 0, 0, 0, 0, 0, 0)),
                    Vector256.ConditionalSelect(fromSecondB, Vector256.Shuffle(q1, Vector256.Create(0, 0, 0, 3, 6, 0, 0, 0)),
                        Vector256.Shuffle(q2, Vector256.Create(0, 0, 0, 0, 0, 1, 4, 7))));
                var sum = a + b;
                allFinite &= Vector256.LessThan(sum, infinity).AsInt32(); // false for NaN too
                sum.StoreUnsafe(ref s, (nuint)x);
            }
            finite = allFinite == Vector256<int>.AllBitsSet;
        }
        for (; x < colors.Length; x++)
        {
            var c = colors[x];
            var square = c.A * c.A + c.B * c.B;
            finite &= square < float.PositiveInfinity;
            squares[x] = square;
        }
        return finite;
    }
}
