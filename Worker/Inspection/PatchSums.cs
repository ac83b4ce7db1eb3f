using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CollectionWorker.Inspection;

/// <summary>
/// The one pass over the pixels behind the <see cref="PatchGrid"/>: per patch, the integer sums of
/// red, green, blue, Rec. 601 luma and squared luma over every other pixel of every other row, and how
/// many pixels were read. Integer sums do not depend on the order they are added in, so the vector
/// path (4x4 patches, the standard's 480x640 frame) gives exactly the scalar path's numbers.
/// </summary>
internal static class PatchSums
{
    /// <summary>Planes of the sums, one patch row each, in this order, in one buffer of 6 x columns.</summary>
    public const int Planes = 6;

    /// <summary>Fills <paramref name="sums"/> (6 planes of <paramref name="cols"/>: R, G, B, luma, luma², count) for patch row <paramref name="pr"/>.</summary>
    public static void MeasureRow(int width, int height, byte[] rgb, int size, int cols, int pr, Span<int> sums, bool vector = true)
    {
        sums[..(Planes * cols)].Clear();
        var c = 0;
        if (vector && size == 4 && Vector128.IsHardwareAccelerated && pr < height / size)
            for (; c + 4 <= width / size; c += 4) Size4Group(width, rgb, cols, pr, c, sums);
        Scalar(width, height, rgb, size, cols, pr, c, sums);
    }

    /// <summary>Patches from <paramref name="c0"/> to the end of one patch row, pixel by pixel.</summary>
    private static void Scalar(int width, int height, byte[] rgb, int size, int cols, int pr, int c0, Span<int> sums)
    {
        ref var src = ref MemoryMarshal.GetArrayDataReference(rgb);
        var y0 = pr * size;
        var y1 = Math.Min(height, y0 + size);
        for (var c = c0; c < cols; c++)
        {
            int r = 0, g = 0, b = 0, yy = 0, y2 = 0, taken = 0;
            var x0 = c * size;
            var x1 = Math.Min(width, x0 + size);
            for (var y = y0; y < y1; y += 2)
                for (var x = x0; x < x1; x += 2)
                {
                    var i = (y * width + x) * 3;
                    int pr8 = Unsafe.Add(ref src, i), pg8 = Unsafe.Add(ref src, i + 1), pb8 = Unsafe.Add(ref src, i + 2);
                    var l = (77 * pr8 + 150 * pg8 + 29 * pb8 + 128) >> 8;
                    r += pr8; g += pg8; b += pb8; yy += l; y2 += l * l; taken++;
                }
            sums[c] = r;
            sums[cols + c] = g;
            sums[2 * cols + c] = b;
            sums[3 * cols + c] = yy;
            sums[4 * cols + c] = y2;
            sums[5 * cols + c] = taken;
        }
    }

    /// <summary>
    /// Four whole 4x4 patches side by side: rows 0 and 2, pixels 0 and 2 of each patch, i.e. eight pixels
    /// 6 bytes apart in 48 bytes of each row, gathered into 16-bit lanes and summed in pairs.
    /// </summary>
    private static void Size4Group(int width, byte[] rgb, int n, int pr, int c0, Span<int> sums)
    {
        var stride = width * 3;
        var at = pr * 4 * stride + c0 * 12;
        var (r0, g0, b0) = Pixels(rgb.AsSpan(at, 48));
        var (r1, g1, b1) = Pixels(rgb.AsSpan(at + 2 * stride, 48));
        var y0 = Luma(r0, g0, b0);
        var y1 = Luma(r1, g1, b1);
        var p = c0;
        (Pairs(r0) + Pairs(r1)).AsInt32().CopyTo(sums[p..]);
        (Pairs(g0) + Pairs(g1)).AsInt32().CopyTo(sums[(n + p)..]);
        (Pairs(b0) + Pairs(b1)).AsInt32().CopyTo(sums[(2 * n + p)..]);
        (Pairs(y0) + Pairs(y1)).AsInt32().CopyTo(sums[(3 * n + p)..]);
        (Pairs(y0 * y0) + Pairs(y1 * y1)).AsInt32().CopyTo(sums[(4 * n + p)..]);
        Vector128.Create(4).CopyTo(sums[(5 * n + p)..]);
    }

    /// <summary>Luma exactly as the scalar pass: (77 R + 150 G + 29 B + 128) >> 8, at most 65,408 (fits 16 bits).</summary>
    private static Vector128<ushort> Luma(Vector128<ushort> r, Vector128<ushort> g, Vector128<ushort> b) =>
        Vector128.ShiftRightLogical(r * (ushort)77 + g * (ushort)150 + b * (ushort)29 + Vector128.Create((ushort)128), 8);

    /// <summary>Adjacent 16-bit lanes added into 32-bit lanes: the two pixels of one patch.</summary>
    private static Vector128<uint> Pairs(Vector128<ushort> v)
    {
        var u = v.AsUInt32();
        return (u & Vector128.Create(0xFFFFu)) + Vector128.ShiftRightLogical(u, 16);
    }

    /// <summary>Red, green and blue of the pixels at bytes 0, 6, 12, … 42 of 48, one per 16-bit lane.</summary>
    private static (Vector128<ushort> R, Vector128<ushort> G, Vector128<ushort> B) Pixels(ReadOnlySpan<byte> bytes)
    {
        var v0 = Vector128.Create(bytes[..16]);
        var v1 = Vector128.Create(bytes.Slice(16, 16));
        var v2 = Vector128.Create(bytes.Slice(32, 16));
        // Byte 6i + channel of the 48 lands in lane i; 0xFF (out of range) gives 0, the high byte of each lane.
        var r = Vector128.Shuffle(v0, Vector128.Create((byte)0, 0xFF, 6, 0xFF, 12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
              | Vector128.Shuffle(v1, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 2, 0xFF, 8, 0xFF, 14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
              | Vector128.Shuffle(v2, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 4, 0xFF, 10, 0xFF));
        var g = Vector128.Shuffle(v0, Vector128.Create((byte)1, 0xFF, 7, 0xFF, 13, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
              | Vector128.Shuffle(v1, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 3, 0xFF, 9, 0xFF, 15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
              | Vector128.Shuffle(v2, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 5, 0xFF, 11, 0xFF));
        var b = Vector128.Shuffle(v0, Vector128.Create((byte)2, 0xFF, 8, 0xFF, 14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
              | Vector128.Shuffle(v1, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 4, 0xFF, 10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
              | Vector128.Shuffle(v2, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 6, 0xFF, 12, 0xFF));
        return (r.AsUInt16(), g.AsUInt16(), b.AsUInt16());
    }
}
