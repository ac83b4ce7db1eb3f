using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CollectionWorker.Inspection.Checks;

/// <summary>
/// Rec. 601 luma of a rectangle of the photo, row by row (rect.Width per row), in a pooled buffer:
/// the same bytes as the pixel-by-pixel Rec. 601 luma the checks used before (the tests keep it as the reference), 16 pixels per step where the CPU has 128-bit
/// vectors, and no new array per check. Dispose returns the buffer.
/// </summary>
internal readonly struct RectLuma : IDisposable
{
    private readonly byte[] _buffer;

    private RectLuma(byte[] buffer, int width, int height) => (_buffer, Width, Height) = (buffer, width, height);

    public int Width { get; }
    public int Height { get; }
    public ReadOnlySpan<byte> Pixels => _buffer.AsSpan(0, Width * Height);
    public ReadOnlySpan<byte> Row(int y) => _buffer.AsSpan(y * Width, Width);

    public static RectLuma Of(PhotoAnalysis photo, PixelRect rect)
    {
        int w = Math.Max(0, rect.Width), h = Math.Max(0, rect.Height);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, w * h));
        for (var y = 0; y < h; y++)
            Convert(photo.Rgb.AsSpan(((rect.Y + y) * photo.Width + rect.X) * 3, w * 3), buffer.AsSpan(y * w, w));
        return new RectLuma(buffer, w, h);
    }

    public void Dispose()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
    }

    /// <summary>One run of interleaved RGB to luma: (77 R + 150 G + 29 B + 128) >> 8, exactly, in 16-bit lanes (the sum is at most 65,408).</summary>
    public static void Convert(ReadOnlySpan<byte> rgb, Span<byte> luma)
    {
        var n = luma.Length;
        if (rgb.Length < n * 3) throw new ArgumentException("fewer RGB bytes than three per luma byte", nameof(rgb));
        var x = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            ref var src = ref MemoryMarshal.GetReference(rgb);
            ref var dst = ref MemoryMarshal.GetReference(luma);
            var kr = Vector128.Create((ushort)77);
            var kg = Vector128.Create((ushort)150);
            var kb = Vector128.Create((ushort)29);
            var half = Vector128.Create((ushort)128);
            var wide = Vector256.IsHardwareAccelerated;
            var kr2 = Vector256.Create((ushort)77);
            var kg2 = Vector256.Create((ushort)150);
            var kb2 = Vector256.Create((ushort)29);
            var half2 = Vector256.Create((ushort)128);
            for (; wide && x + 32 <= n; x += 32)
            {
                // Two runs of 16 pixels split into R, G and B bytes; the arithmetic on all 32 at once in 16-bit lanes.
                var (r0, g0, b0) = Split(ref Unsafe.Add(ref src, x * 3));
                var (r1, g1, b1) = Split(ref Unsafe.Add(ref src, x * 3 + 48));
                var lo = (Vector256.WidenLower(Vector256.Create(r0, r1)) * kr2 + Vector256.WidenLower(Vector256.Create(g0, g1)) * kg2
                    + Vector256.WidenLower(Vector256.Create(b0, b1)) * kb2 + half2) >>> 8;
                var hi = (Vector256.WidenUpper(Vector256.Create(r0, r1)) * kr2 + Vector256.WidenUpper(Vector256.Create(g0, g1)) * kg2
                    + Vector256.WidenUpper(Vector256.Create(b0, b1)) * kb2 + half2) >>> 8;
                Vector256.Narrow(lo, hi).StoreUnsafe(ref dst, (nuint)x);
            }
            for (; x + 16 <= n; x += 16)
            {
                var (r, g, b) = Split(ref Unsafe.Add(ref src, x * 3));
                var lo = (Vector128.WidenLower(r) * kr + Vector128.WidenLower(g) * kg + Vector128.WidenLower(b) * kb + half) >>> 8;
                var hi = (Vector128.WidenUpper(r) * kr + Vector128.WidenUpper(g) * kg + Vector128.WidenUpper(b) * kb + half) >>> 8;
                Vector128.Narrow(lo, hi).StoreUnsafe(ref dst, (nuint)x);
            }
        }
        for (var i = x * 3; x < n; x++, i += 3)
            luma[x] = (byte)((77 * rgb[i] + 150 * rgb[i + 1] + 29 * rgb[i + 2] + 128) >> 8);
    }

    /// <summary>
    /// 48 bytes of interleaved RGB (16 pixels) as their R, G and B bytes: a shuffle of each of the three vectors
    /// picks its share of a channel (index 0xFF gives 0) and the three shares are or-ed. The indices are written
    /// inline: the shuffle compiles to one instruction only when they are constants.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<byte> R, Vector128<byte> G, Vector128<byte> B) Split(ref byte p)
    {
        var v0 = Vector128.LoadUnsafe(ref p);
        var v1 = Vector128.LoadUnsafe(ref p, 16);
        var v2 = Vector128.LoadUnsafe(ref p, 32);
        var r = Vector128.Shuffle(v0, Vector128.Create((byte)0, 3, 6, 9, 12, 15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
            | Vector128.Shuffle(v1, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 2, 5, 8, 11, 14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
            | Vector128.Shuffle(v2, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 4, 7, 10, 13));
        var g = Vector128.Shuffle(v0, Vector128.Create((byte)1, 4, 7, 10, 13, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
            | Vector128.Shuffle(v1, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 3, 6, 9, 12, 15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
            | Vector128.Shuffle(v2, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 2, 5, 8, 11, 14));
        var b = Vector128.Shuffle(v0, Vector128.Create((byte)2, 5, 8, 11, 14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
            | Vector128.Shuffle(v1, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 4, 7, 10, 13, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
            | Vector128.Shuffle(v2, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 3, 6, 9, 12, 15));
        return (r, g, b);
    }
}
