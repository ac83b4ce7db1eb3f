using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Read-only 24-bit RGB pixels, row by row: either a packed buffer (R, G, B, row after row, no
/// padding) from any decoder, or an ImageSharp image read in place, so the detector never copies
/// the photo and works on whatever the inspection already decoded.
/// </summary>
public readonly struct RgbPixels
{
    private readonly ReadOnlyMemory<byte> _rgb;
    private readonly Image<Rgb24>? _image;

    public RgbPixels(ReadOnlyMemory<byte> rgb, int width, int height)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"An image needs a positive size; got {width}x{height}.");
        if (rgb.Length < (long)width * height * 3)
            throw new ArgumentException($"A {width}x{height} RGB image needs {(long)width * height * 3} bytes; got {rgb.Length}.", nameof(rgb));
        _rgb = rgb;
        Width = width;
        Height = height;
    }

    private RgbPixels(Image<Rgb24> image)
    {
        _image = image;
        Width = image.Width;
        Height = image.Height;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Reads the image's own rows; the image must stay alive and unchanged while the detector runs.</summary>
    public static RgbPixels From(Image<Rgb24> image) => new(image);

    /// <summary>One row as R, G, B bytes.</summary>
    public ReadOnlySpan<byte> Row(int y) => _image is null
        ? _rgb.Span.Slice(y * Width * 3, Width * 3)
        : MemoryMarshal.AsBytes(_image.DangerousGetPixelRowMemory(y).Span);
}
