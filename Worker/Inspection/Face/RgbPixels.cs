using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// A read-only view of 24-bit RGB pixels, row after row without padding: the detector's input,
/// so it works on an ImageSharp image or on any decoder's buffer without converting twice.
/// </summary>
public readonly struct RgbPixels
{
    public RgbPixels(ReadOnlyMemory<byte> rgb, int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"An image needs a positive size; got {width}x{height}.");
        if (rgb.Length < (long)width * height * 3)
            throw new ArgumentException($"A {width}x{height} RGB image needs {(long)width * height * 3} bytes; got {rgb.Length}.", nameof(rgb));
        Rgb = rgb;
        Width = width;
        Height = height;
    }

    public ReadOnlyMemory<byte> Rgb { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Uses the image's own buffer when it is one block (the usual case), else copies it once.</summary>
    public static RgbPixels From(Image<Rgb24> image)
    {
        if (image.DangerousTryGetSinglePixelMemory(out var memory))
            return new RgbPixels(new RgbByteMemoryManager(memory).Memory, image.Width, image.Height);
        var copy = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(copy);
        return new RgbPixels(copy, image.Width, image.Height);
    }

    /// <summary>Reinterprets Rgb24 memory as bytes without copying (Rgb24 is three bytes R, G, B).</summary>
    private sealed class RgbByteMemoryManager(Memory<Rgb24> pixels) : System.Buffers.MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(pixels.Span);

        public override System.Buffers.MemoryHandle Pin(int elementIndex = 0) =>
            throw new NotSupportedException("The face detector reads the pixels as a span; it never pins them.");

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
