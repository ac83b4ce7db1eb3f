using CollectionWorker.Inspection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// The evidence image exactly as the service drew and encoded it before issue 18 (main at 83b2ea9): a float blend
/// per pixel and channel, a bounds-checked store per pixel, ImageSharp's PNG encoder at its fastest level. Kept
/// only as the reference the faster <see cref="EvidenceRenderer"/> must match pixel for pixel; do not "improve" it.
/// </summary>
public static class EvidenceAsBefore
{
    private const int FrameWidth = 12, LineWidth = 3, BandBarWidth = 10;

    public static byte[] RenderPng(PhotoAnalysis photo, InspectionResult result)
    {
        var width = photo.Width;
        var height = photo.Height;
        var canvas = new byte[width * height * 3];
        Buffer.BlockCopy(photo.Rgb, 0, canvas, 0, width * height * 3);

        var g = photo.Patches;
        foreach (var (patches, color) in photo.Evidence.Patches)
        {
            var alpha = color == Rgb.Green ? 0.25f : 0.6f;
            foreach (var p in patches)
            {
                var (cx, cy) = g.Centre(p);
                var rect = PixelRect.FromEdges((int)cx - g.Size / 2, (int)cy - g.Size / 2, (int)cx + (g.Size + 1) / 2, (int)cy + (g.Size + 1) / 2, width, height);
                Blend(canvas, width, rect, color, alpha);
            }
        }
        foreach (var (rect, color, _) in photo.Evidence.Regions)
        {
            if (rect.Width <= 6 && rect.Height <= 6) Fill(canvas, width, rect, color);
            else Outline(canvas, width, rect, color, LineWidth);
        }

        var s = photo.Scale;
        Band(canvas, width, height, (int)(50 * s), (int)(110 * s), Rgb.Cyan);
        Band(canvas, width, height, (int)(200 * s), (int)(300 * s), Rgb.Yellow);
        for (var y = FrameWidth; y < height - FrameWidth; y += 12)
            Fill(canvas, width, PixelRect.FromEdges(width / 2 - 1, y, width / 2 + 1, Math.Min(y + 6, height), width, height), Rgb.White);

        var verdictColor = result.Verdict switch { Verdict.Reject => Rgb.Red, Verdict.Review => Rgb.Orange, _ => Rgb.Green };
        Outline(canvas, width, new PixelRect(0, 0, width, height), verdictColor, FrameWidth);

        using var image = Image.LoadPixelData<Rgb24>(canvas, width, height);
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { CompressionLevel = PngCompressionLevel.BestSpeed });
        return stream.ToArray();
    }

    private static void Band(byte[] c, int width, int height, int top, int bottom, Rgb color)
    {
        Blend(c, width, PixelRect.FromEdges(FrameWidth, top, FrameWidth + BandBarWidth, bottom, width, height), color, 0.75f);
        Blend(c, width, PixelRect.FromEdges(width - FrameWidth - BandBarWidth, top, width - FrameWidth, bottom, width, height), color, 0.75f);
    }

    private static void Outline(byte[] c, int width, PixelRect r, Rgb color, int thickness)
    {
        for (var t = 0; t < thickness; t++)
        {
            for (var x = r.X; x < r.Right; x++) { Set(c, width, x, r.Y + t, color); Set(c, width, x, r.Bottom - 1 - t, color); }
            for (var y = r.Y; y < r.Bottom; y++) { Set(c, width, r.X + t, y, color); Set(c, width, r.Right - 1 - t, y, color); }
        }
    }

    private static void Fill(byte[] c, int width, PixelRect r, Rgb color)
    {
        for (var y = r.Y; y < r.Bottom; y++)
            for (var x = r.X; x < r.Right; x++) Set(c, width, x, y, color);
    }

    private static void Blend(byte[] c, int width, PixelRect r, Rgb color, float alpha)
    {
        for (var y = r.Y; y < r.Bottom; y++)
            for (var x = r.X; x < r.Right; x++)
            {
                var i = (y * width + x) * 3;
                if (i < 0 || i + 2 >= c.Length) continue;
                c[i] = (byte)(c[i] + (color.R - c[i]) * alpha);
                c[i + 1] = (byte)(c[i + 1] + (color.G - c[i + 1]) * alpha);
                c[i + 2] = (byte)(c[i + 2] + (color.B - c[i + 2]) * alpha);
            }
    }

    private static void Set(byte[] c, int width, int x, int y, Rgb color)
    {
        var i = (y * width + x) * 3;
        if (x < 0 || x >= width || i < 0 || i + 2 >= c.Length) return;
        c[i] = color.R;
        c[i + 1] = color.G;
        c[i + 2] = color.B;
    }
}
