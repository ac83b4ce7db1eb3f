using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Rows of bytes (interleaved R, G, B or anything else) added column by column into 16-bit sums, a vector at a time
/// (Vector&lt;T&gt;: 32 bytes with AVX2, 16 with SSE or NEON; a plain loop where none is accelerated): the first, vector step of summing a block of
/// pixels per channel; what follows adds each run of columns. Compiled optimised on first call: tier-0 code of the
/// intrinsics is many times slower, and on a busy machine its recompilation comes late.
/// </summary>
internal static class RowSums
{
    /// <summary>Rows one 16-bit column sum holds: 257 rows of 255.</summary>
    public const int MaxRows = ushort.MaxValue / byte.MaxValue;

    /// <summary>column[i] = a[i] + b[i] (+ column[i] when <paramref name="add"/>), in 16 bits: the caller keeps the sums below 65,536.</summary>
    public static void AddRows(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<ushort> column, bool add)
    {
        if (b.Length != a.Length) throw new ArgumentException("Rows of different lengths.");
        Add(a, b, column, add);
    }

    /// <summary>column[i] = a[i] + b[i] + c[i] + d[i] (+ column[i] when <paramref name="add"/>), in 16 bits: four rows in one pass over the sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddFourRows(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, Span<ushort> column, bool add)
    {
        if (b.Length != a.Length || c.Length != a.Length || d.Length != a.Length) throw new ArgumentException("Rows of different lengths.");
        if (column.Length < a.Length) throw new ArgumentException("Column sums shorter than the row.");
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var pc = ref MemoryMarshal.GetReference(c);
        ref var pd = ref MemoryMarshal.GetReference(d);
        ref var ps = ref MemoryMarshal.GetReference(column);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= (nuint)Vector<byte>.Count)
            for (; i <= n - (nuint)Vector<byte>.Count; i += (nuint)Vector<byte>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref pa, i), out var low, out var high);
                Vector.Widen(Vector.LoadUnsafe(ref pb, i), out var bl, out var bh);
                Vector.Widen(Vector.LoadUnsafe(ref pc, i), out var cl, out var ch);
                Vector.Widen(Vector.LoadUnsafe(ref pd, i), out var dl, out var dh);
                (low, high) = (low + bl + (cl + dl), high + bh + (ch + dh));
                var j = i + (nuint)Vector<ushort>.Count;
                if (add)
                {
                    low += Vector.LoadUnsafe(ref ps, i);
                    high += Vector.LoadUnsafe(ref ps, j);
                }
                low.StoreUnsafe(ref ps, i);
                high.StoreUnsafe(ref ps, j);
            }
        for (; i < n; i++)
            Unsafe.Add(ref ps, i) = (ushort)((add ? Unsafe.Add(ref ps, i) : 0) + Unsafe.Add(ref pa, i) + Unsafe.Add(ref pb, i) + Unsafe.Add(ref pc, i) + Unsafe.Add(ref pd, i));
    }

    /// <summary>column[i] = row[i] (+ column[i] when <paramref name="add"/>), in 16 bits.</summary>
    public static void AddRow(ReadOnlySpan<byte> row, Span<ushort> column, bool add) => Add(row, default, column, add);

    /// <summary>One row (<paramref name="b"/> empty) or two added into the column sums, a vector of bytes at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Add(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<ushort> column, bool add)
    {
        if (column.Length < a.Length) throw new ArgumentException("Column sums shorter than the row.");
        var two = !b.IsEmpty;
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(two ? b : a);
        ref var pc = ref MemoryMarshal.GetReference(column);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= (nuint)Vector<byte>.Count)
            for (; i <= n - (nuint)Vector<byte>.Count; i += (nuint)Vector<byte>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref pa, i), out var low, out var high);
                if (two)
                {
                    Vector.Widen(Vector.LoadUnsafe(ref pb, i), out var bl, out var bh);
                    (low, high) = (low + bl, high + bh);
                }
                var j = i + (nuint)Vector<ushort>.Count;
                if (add)
                {
                    low += Vector.LoadUnsafe(ref pc, i);
                    high += Vector.LoadUnsafe(ref pc, j);
                }
                low.StoreUnsafe(ref pc, i);
                high.StoreUnsafe(ref pc, j);
            }
        for (; i < n; i++)
            Unsafe.Add(ref pc, i) = (ushort)((add ? Unsafe.Add(ref pc, i) : 0) + Unsafe.Add(ref pa, i) + (two ? Unsafe.Add(ref pb, i) : 0));
    }

    /// <summary>
    /// runs[i] = column[i] + column[i + stride] + ... (<paramref name="count"/> terms) for every i whose terms all lie in
    /// <paramref name="column"/>, in 16 bits (the caller keeps them below 65,536), a vector of starts at a time: with stride 3,
    /// the R, G and B sums of every run of <paramref name="count"/> pixels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRuns(ReadOnlySpan<ushort> column, int stride, int count, Span<ushort> runs)
    {
        var starts = column.Length - stride * (count - 1);
        if (count < 1 || stride < 1 || starts <= 0) return;
        if (runs.Length < starts) throw new ArgumentException("Run sums shorter than the starts.");
        ref var pc = ref MemoryMarshal.GetReference(column);
        ref var pr = ref MemoryMarshal.GetReference(runs);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= starts - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                var sum = Vector.LoadUnsafe(ref pc, (nuint)i);
                for (var j = 1; j < count; j++) sum += Vector.LoadUnsafe(ref pc, (nuint)(i + j * stride));
                sum.StoreUnsafe(ref pr, (nuint)i);
            }
        for (; i < starts; i++)
        {
            var sum = 0;
            for (var j = 0; j < count; j++) sum += Unsafe.Add(ref pc, i + j * stride);
            Unsafe.Add(ref pr, i) = (ushort)sum;
        }
    }

    /// <summary>
    /// The sums of column[0], column[3], ... (R), column[1], column[4], ... (G) and column[2], column[5], ... (B), each term at most
    /// <paramref name="maxTerm"/>: three vectors at a time (3 x the lane count is a multiple of 3, so every lane keeps one channel),
    /// in 16-bit lanes emptied into the integer sums before they could overflow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int R, int G, int B) SumChannels(ReadOnlySpan<ushort> column, int maxTerm)
    {
        Span<int> totals = stackalloc int[3];
        totals.Clear();
        ref var pc = ref MemoryMarshal.GetReference(column);
        int n = column.Length, lanes = Vector<ushort>.Count, i = 0;
        // Steps of three vectors each lane can take before 16 bits could overflow.
        var steps = ushort.MaxValue / Math.Max(1, maxTerm);
        if (Vector.IsHardwareAccelerated && steps > 0 && maxTerm <= ushort.MaxValue)
        {
            Span<ushort> lane = stackalloc ushort[lanes];
            while (i <= n - 3 * lanes)
            {
                Vector<ushort> a = Vector<ushort>.Zero, b = Vector<ushort>.Zero, c = Vector<ushort>.Zero;
                for (var k = 0; k < steps && i <= n - 3 * lanes; k++, i += 3 * lanes)
                {
                    a += Vector.LoadUnsafe(ref pc, (nuint)i);
                    b += Vector.LoadUnsafe(ref pc, (nuint)(i + lanes));
                    c += Vector.LoadUnsafe(ref pc, (nuint)(i + 2 * lanes));
                }
                // Lane j of the m-th vector holds channel (m * lanes + j) mod 3.
                a.CopyTo(lane);
                for (var j = 0; j < lanes; j++) totals[j % 3] += lane[j];
                b.CopyTo(lane);
                for (var j = 0; j < lanes; j++) totals[(lanes + j) % 3] += lane[j];
                c.CopyTo(lane);
                for (var j = 0; j < lanes; j++) totals[(2 * lanes + j) % 3] += lane[j];
            }
        }
        // What is left starts on an R (i is a multiple of 3).
        for (; i < n; i++) totals[i % 3] += Unsafe.Add(ref pc, i);
        return (totals[0], totals[1], totals[2]);
    }
}
