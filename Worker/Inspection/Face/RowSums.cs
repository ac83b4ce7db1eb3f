using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Rows of bytes (interleaved R, G, B or anything else) added column by column into 16-bit sums, 16 or 32 bytes at a
/// time (Vector128/Vector256, plain loop where neither is accelerated): the first, vector step of summing a block of
/// pixels per channel; what follows adds each run of columns. Compiled optimised on first call: tier-0 code of the
/// intrinsics is many times slower, and on a busy machine its recompilation comes late.
/// </summary>
internal static class RowSums
{
    /// <summary>Rows one 16-bit column sum holds: 257 rows of 255.</summary>
    public const int MaxRows = ushort.MaxValue / byte.MaxValue;

    /// <summary>column[i] = a[i] + b[i] (+ column[i] when <paramref name="add"/>), in 16 bits: the caller keeps the sums below 65,536.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRows(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<ushort> column, bool add)
    {
        if (b.Length != a.Length || column.Length < a.Length) throw new ArgumentException("Rows and column sums differ in length.");
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pb = ref MemoryMarshal.GetReference(b);
        ref var pc = ref MemoryMarshal.GetReference(column);
        nuint n = (nuint)a.Length, i = 0;
        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<byte>.Count)
            for (; i <= n - (nuint)Vector256<byte>.Count; i += (nuint)Vector256<byte>.Count)
            {
                var (al, ah) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, i));
                var (bl, bh) = Vector256.Widen(Vector256.LoadUnsafe(ref pb, i));
                Vector256<ushort> low = al + bl, high = ah + bh;
                var j = i + (nuint)Vector256<ushort>.Count;
                if (add)
                {
                    low += Vector256.LoadUnsafe(ref pc, i);
                    high += Vector256.LoadUnsafe(ref pc, j);
                }
                low.StoreUnsafe(ref pc, i);
                high.StoreUnsafe(ref pc, j);
            }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<byte>.Count)
            for (; i <= n - (nuint)Vector128<byte>.Count; i += (nuint)Vector128<byte>.Count)
            {
                var (al, ah) = Vector128.Widen(Vector128.LoadUnsafe(ref pa, i));
                var (bl, bh) = Vector128.Widen(Vector128.LoadUnsafe(ref pb, i));
                Vector128<ushort> low = al + bl, high = ah + bh;
                var j = i + (nuint)Vector128<ushort>.Count;
                if (add)
                {
                    low += Vector128.LoadUnsafe(ref pc, i);
                    high += Vector128.LoadUnsafe(ref pc, j);
                }
                low.StoreUnsafe(ref pc, i);
                high.StoreUnsafe(ref pc, j);
            }
        for (; i < n; i++)
            Unsafe.Add(ref pc, i) = (ushort)((add ? Unsafe.Add(ref pc, i) : 0) + Unsafe.Add(ref pa, i) + Unsafe.Add(ref pb, i));
    }

    /// <summary>column[i] = row[i] (+ column[i] when <paramref name="add"/>), in 16 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRow(ReadOnlySpan<byte> row, Span<ushort> column, bool add)
    {
        if (column.Length < row.Length) throw new ArgumentException("Column sums shorter than the row.");
        ref var pa = ref MemoryMarshal.GetReference(row);
        ref var pc = ref MemoryMarshal.GetReference(column);
        nuint n = (nuint)row.Length, i = 0;
        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<byte>.Count)
            for (; i <= n - (nuint)Vector256<byte>.Count; i += (nuint)Vector256<byte>.Count)
            {
                var (low, high) = Vector256.Widen(Vector256.LoadUnsafe(ref pa, i));
                var j = i + (nuint)Vector256<ushort>.Count;
                if (add)
                {
                    low += Vector256.LoadUnsafe(ref pc, i);
                    high += Vector256.LoadUnsafe(ref pc, j);
                }
                low.StoreUnsafe(ref pc, i);
                high.StoreUnsafe(ref pc, j);
            }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<byte>.Count)
            for (; i <= n - (nuint)Vector128<byte>.Count; i += (nuint)Vector128<byte>.Count)
            {
                var (low, high) = Vector128.Widen(Vector128.LoadUnsafe(ref pa, i));
                var j = i + (nuint)Vector128<ushort>.Count;
                if (add)
                {
                    low += Vector128.LoadUnsafe(ref pc, i);
                    high += Vector128.LoadUnsafe(ref pc, j);
                }
                low.StoreUnsafe(ref pc, i);
                high.StoreUnsafe(ref pc, j);
            }
        for (; i < n; i++)
            Unsafe.Add(ref pc, i) = (ushort)((add ? Unsafe.Add(ref pc, i) : 0) + Unsafe.Add(ref pa, i));
    }
}
