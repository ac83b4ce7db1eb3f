using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CollectionWorker.Inspection.Checks;

/// <summary>
/// The value at one rank of many floats (bit for bit what a sort puts there), when the rank lies far from the
/// middle: a sample of every 16th value gives a threshold a little before the rank, one vector pass keeps the
/// values on the rank's side of it (a few hundred for the 98th percentile of 19,000 patches), and only those
/// are selected among. A threshold that misses (on the wrong side of the rank) costs a full selection, never
/// a wrong value.
/// </summary>
internal static class SampledSelect
{
    private const int Stride = 16;

    /// <summary>The value at the 0-based <paramref name="rank"/> of the values in ascending order; reorders the values.</summary>
    public static float AtRank(Span<float> values, int rank)
    {
        var n = values.Length;
        if ((uint)rank >= (uint)n) throw new ArgumentOutOfRangeException(nameof(rank));
        var m = n / Stride;
        // In the sample, the threshold sits 2% of its size (at least 8 values) further from the end than the rank:
        // about five standard deviations of a sample percentile near the 98th, so a miss is rare.
        var margin = Math.Max(8, m / 50);
        var sampleRank = (int)((long)rank * m / n) - margin;
        if (m < 64 || sampleRank < m / 2) return Stats.Select(values, rank);
        var buffer = ArrayPool<float>.Shared.Rent(n);
        try
        {
            var sample = buffer.AsSpan(0, m);
            for (var i = 0; i < m; i++) sample[i] = values[i * Stride];
            var threshold = Stats.Select(sample, sampleRank);
            // Equal values are equal bits, except ±0: those are left to the full selection's own rule.
            if (threshold == 0) return Stats.Select(values, rank);
            // The values above the threshold, in their order, and how many equal it; every other value lies below it.
            var (equal, above) = Above(values, threshold, buffer);
            var below = n - equal - above;
            // Fewer values below the threshold than the rank: the value at the rank is the threshold or one above it.
            if (rank < below) return Stats.Select(values, rank);
            if (rank < below + equal) return threshold;
            return Stats.Select(buffer.AsSpan(0, above), rank - below - equal);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Copies the values &gt; <paramref name="threshold"/> to the front of <paramref name="kept"/> and counts those
    /// equal to it (a flat backdrop gives thousands of patches the very same colour, so the threshold is often one).
    /// </summary>
    private static (int Equal, int Above) Above(ReadOnlySpan<float> values, float threshold, Span<float> kept)
    {
        int equal = 0, above = 0;
        var x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var t = Vector256.Create(threshold);
            ref var v = ref MemoryMarshal.GetReference(values);
            for (; x + 8 <= values.Length; x += 8)
            {
                var vector = Vector256.LoadUnsafe(ref v, (nuint)x);
                equal += BitOperations.PopCount(Vector256.Equals(vector, t).ExtractMostSignificantBits());
                // Most steps keep nothing; the few kept values are copied one by one, in order.
                for (var mask = Vector256.GreaterThan(vector, t).ExtractMostSignificantBits(); mask != 0; mask &= mask - 1)
                    kept[above++] = values[x + BitOperations.TrailingZeroCount(mask)];
            }
        }
        for (; x < values.Length; x++)
        {
            if (values[x] > threshold) kept[above++] = values[x];
            else if (values[x] == threshold) equal++;
        }
        return (equal, above);
    }
}
