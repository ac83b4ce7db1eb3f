using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CollectionWorker.Inspection;

/// <summary>
/// Chessboard distance (patches, eight neighbours a step) from the person's outline through the backdrop,
/// up to a cap, with each row of the patch grid as a bit set: step k is the outline's step k-1 grown by one
/// patch in every direction, kept to backdrop not reached before. These are the layers of a breadth-first
/// search from the outline, so the distances are the same, at a few word operations per row and step.
/// </summary>
internal static class BackdropDistance
{
    /// <summary>
    /// Fills <paramref name="distance"/>: 0 on the person, the step on backdrop reached in fewer than
    /// <paramref name="cap"/> steps, <paramref name="cap"/> on the rest of the backdrop, <paramref name="outside"/> elsewhere.
    /// </summary>
    public static void Measure(bool[] isBackground, bool[] isSubject, int cols, int rows, int cap, int outside, int[] distance)
    {
        Start(isBackground, isSubject, cols * rows, cap, outside, distance);

        var words = (cols + 63) >> 6;
        var length = words * (rows + 2); // an empty row above and below the grid
        var buffer = ArrayPool<ulong>.Shared.Rent(4 * length);
        try
        {
            var all = buffer.AsSpan(0, 4 * length);
            all.Clear();
            var open = all[..length];                      // backdrop not reached yet
            var level = all.Slice(length, length);         // the last step's patches
            var spread = all.Slice(2 * length, length);    // those grown sideways
            var subject = all.Slice(3 * length, length);
            Pack(isBackground, cols, rows, words, open);
            Pack(isSubject, cols, rows, words, subject);

            // Only the outline starts: person patches with backdrop above, below or beside them
            // (the person and the backdrop never share a patch, so growing sideways may keep the patch itself).
            Sideways(open, spread, words, rows);
            for (var i = words; i < length - words; i++)
                level[i] = subject[i] & (spread[i] | open[i - words] | open[i + words]);

            for (var step = 1; step < cap; step++)
            {
                Sideways(level, spread, words, rows);
                var any = 0UL;
                for (var i = words; i < length - words; i++)
                {
                    var reached = (spread[i - words] | spread[i] | spread[i + words]) & open[i];
                    open[i] &= ~reached;
                    level[i] = reached;
                    any |= reached;
                    if (reached == 0) continue;
                    var at = (i / words - 1) * cols + (i % words) * 64;
                    for (var bits = reached; bits != 0; bits &= bits - 1)
                        distance[at + BitOperations.TrailingZeroCount(bits)] = step;
                }
                if (any == 0) break;
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The distances before any step: 0 on the person, <paramref name="cap"/> on the backdrop, <paramref name="outside"/>
    /// elsewhere; sixteen patches at a time where vectors are fast (the person and the backdrop never share a patch).
    /// </summary>
    private static void Start(bool[] isBackground, bool[] isSubject, int n, int cap, int outside, int[] distance)
    {
        var background = MemoryMarshal.Cast<bool, byte>(isBackground.AsSpan(0, n));
        var subject = MemoryMarshal.Cast<bool, byte>(isSubject.AsSpan(0, n));
        var p = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var (toCap, toOutside, none) = (Vector128.Create(cap), Vector128.Create(outside), Vector128<byte>.Zero);
            for (; p + 16 <= n; p += 16)
            {
                // All ones on the person, on the backdrop; widened byte by byte to 32-bit lanes.
                var person = ~Vector128.Equals(Vector128.Create(subject.Slice(p, 16)), none);
                var backdrop = ~Vector128.Equals(Vector128.Create(background.Slice(p, 16)), none);
                var (p0, p1) = Vector128.Widen(person.AsSByte());
                var (b0, b1) = Vector128.Widen(backdrop.AsSByte());
                var (p00, p01) = Vector128.Widen(p0);
                var (p10, p11) = Vector128.Widen(p1);
                var (b00, b01) = Vector128.Widen(b0);
                var (b10, b11) = Vector128.Widen(b1);
                var at = distance.AsSpan(p);
                Vector128.ConditionalSelect(p00, Vector128<int>.Zero, Vector128.ConditionalSelect(b00, toCap, toOutside)).CopyTo(at);
                Vector128.ConditionalSelect(p01, Vector128<int>.Zero, Vector128.ConditionalSelect(b01, toCap, toOutside)).CopyTo(at[4..]);
                Vector128.ConditionalSelect(p10, Vector128<int>.Zero, Vector128.ConditionalSelect(b10, toCap, toOutside)).CopyTo(at[8..]);
                Vector128.ConditionalSelect(p11, Vector128<int>.Zero, Vector128.ConditionalSelect(b11, toCap, toOutside)).CopyTo(at[12..]);
            }
        }
        for (; p < n; p++) distance[p] = isSubject[p] ? 0 : isBackground[p] ? cap : outside;
    }

    /// <summary>Each row's bits, and their neighbours left and right, into <paramref name="result"/> (rows 1..rows).</summary>
    private static void Sideways(ReadOnlySpan<ulong> bits, Span<ulong> result, int words, int rows)
    {
        for (var r = 1; r <= rows; r++)
        {
            var row = r * words;
            for (var w = 0; w < words; w++)
            {
                var x = bits[row + w];
                var fromLeft = w > 0 ? bits[row + w - 1] >> 63 : 0;
                var fromRight = w < words - 1 ? bits[row + w + 1] << 63 : 0;
                // A bit past the last column may be set; it is never backdrop, so it never spreads further.
                result[row + w] = x | (x << 1) | (x >> 1) | fromLeft | fromRight;
            }
        }
    }

    /// <summary>One bit per patch, rows 1..rows of <paramref name="bits"/> (bit c % 64 of word c / 64 is column c).</summary>
    private static void Pack(bool[] flags, int cols, int rows, int words, Span<ulong> bits)
    {
        var bytes = MemoryMarshal.Cast<bool, byte>(flags.AsSpan(0, cols * rows));
        for (var r = 0; r < rows; r++)
        {
            var row = bytes.Slice(r * cols, cols);
            var target = bits.Slice((r + 1) * words, words);
            var c = 0;
            if (Vector128.IsHardwareAccelerated)
                for (; c + 16 <= cols; c += 16) // 16 columns never straddle a word: c is a multiple of 16
                {
                    var set = ~Vector128.Equals(Vector128.Create(row.Slice(c, 16)), Vector128<byte>.Zero);
                    target[c >> 6] |= (ulong)set.ExtractMostSignificantBits() << (c & 63);
                }
            for (; c < cols; c++)
                if (row[c] != 0) target[c >> 6] |= 1UL << (c & 63);
        }
    }
}
