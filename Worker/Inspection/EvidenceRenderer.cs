using System.Buffers;

namespace CollectionWorker.Inspection;

/// <summary>
/// Draws the evidence image: the photo itself, at its size, with no text on it — words belong in the
/// review sheet and the e-mail beside it, in Chinese and English. What is drawn is meant to read at
/// thumbnail size (the review sheet shows it at a quarter): a thick frame in the verdict's colour
/// (red rejected, orange flagged for the studio, green nothing found); the sampled backdrop tinted
/// green, clutter patches red, shadow patches magenta; the measured regions outlined (face, the
/// sharpness area, the chest band); the standard's bands as bars on both edges (head top 50–110 px
/// cyan, eyes 200–300 px yellow) and the centre line dashed.
/// </summary>
public static class EvidenceRenderer
{
    /// <summary>Thick enough to stay visible when the image is shown at a quarter of its size.</summary>
    private const int FrameWidth = 12, LineWidth = 3, BandBarWidth = 10;

    /// <summary>The evidence image as a PNG (<see cref="EvidencePng"/>): lossless, so it decodes to exactly what <see cref="Draw"/> drew.</summary>
    public static byte[] RenderPng(PhotoAnalysis photo, InspectionResult result)
    {
        // Pooled: a full-frame canvas per photo would churn the large-object heap.
        var canvas = ArrayPool<byte>.Shared.Rent(photo.Width * photo.Height * 3);
        try
        {
            var pixels = canvas.AsSpan(0, photo.Width * photo.Height * 3);
            Draw(photo, result, pixels);
            return EvidencePng.Encode(pixels, photo.Width, photo.Height);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(canvas);
        }
    }

    /// <summary>Draws the evidence over a copy of the photo's pixels into <paramref name="canvas"/> (exactly width x height x 3 bytes).</summary>
    internal static void Draw(PhotoAnalysis photo, InspectionResult result, Span<byte> canvas)
    {
        var width = photo.Width;
        var height = photo.Height;
        photo.Rgb.AsSpan(0, canvas.Length).CopyTo(canvas);

        var g = photo.Patches;
        Span<byte> table = stackalloc byte[BlendTableSize];
        foreach (var (patches, color) in photo.Evidence.Patches)
        {
            BuildBlendTable(table, color, color == Rgb.Green ? 0.25f : 0.6f);
            foreach (var p in patches)
            {
                // The patch's own square (its centre less and plus half a patch), clipped to the image.
                int col = p % g.Cols, row = p / g.Cols;
                Blend(canvas, width, PixelRect.FromEdges(col * g.Size, row * g.Size, (col + 1) * g.Size, (row + 1) * g.Size, width, height), table);
            }
        }
        // Regions without their labels: the measured values are in the sheet's flags and the e-mail.
        foreach (var (rect, color, _) in photo.Evidence.Regions)
        {
            if (rect.Width <= 6 && rect.Height <= 6) Fill(canvas, width, rect, color); // a landmark: a dot
            else Outline(canvas, width, rect, color, LineWidth);
        }

        var s = photo.Scale;
        Band(canvas, width, height, (int)(50 * s), (int)(110 * s), Rgb.Cyan);
        Band(canvas, width, height, (int)(200 * s), (int)(300 * s), Rgb.Yellow);
        for (var y = FrameWidth; y < height - FrameWidth; y += 12)
            Fill(canvas, width, PixelRect.FromEdges(width / 2 - 1, y, width / 2 + 1, Math.Min(y + 6, height), width, height), Rgb.White);

        var verdictColor = result.Verdict switch { Verdict.Reject => Rgb.Red, Verdict.Review => Rgb.Orange, _ => Rgb.Green };
        Outline(canvas, width, new PixelRect(0, 0, width, height), verdictColor, FrameWidth);
    }

    /// <summary>One of the standard's vertical ranges, as a translucent bar inside the frame on both edges.</summary>
    private static void Band(Span<byte> c, int width, int height, int top, int bottom, Rgb color)
    {
        Span<byte> table = stackalloc byte[BlendTableSize];
        BuildBlendTable(table, color, 0.75f);
        Blend(c, width, PixelRect.FromEdges(FrameWidth, top, FrameWidth + BandBarWidth, bottom, width, height), table);
        Blend(c, width, PixelRect.FromEdges(width - FrameWidth - BandBarWidth, top, width - FrameWidth, bottom, width, height), table);
    }

    /// <summary>The lines at distance 0..thickness-1 inside the rectangle's edges, clipped to the image.</summary>
    private static void Outline(Span<byte> c, int width, PixelRect r, Rgb color, int thickness)
    {
        for (var t = 0; t < thickness; t++)
        {
            Row(c, width, r.Y + t, r.X, r.Right, color);
            Row(c, width, r.Bottom - 1 - t, r.X, r.Right, color);
            Column(c, width, r.X + t, r.Y, r.Bottom, color);
            Column(c, width, r.Right - 1 - t, r.Y, r.Bottom, color);
        }
    }

    private static void Fill(Span<byte> c, int width, PixelRect r, Rgb color)
    {
        for (var y = r.Y; y < r.Bottom; y++) Row(c, width, y, r.X, r.Right, color);
    }

    /// <summary>Pixels x0..x1-1 of row y set to the colour, clipped to the image.</summary>
    private static void Row(Span<byte> c, int width, int y, int x0, int x1, Rgb color)
    {
        if (y < 0 || y >= c.Length / (width * 3)) return;
        x0 = Math.Max(x0, 0);
        x1 = Math.Min(x1, width);
        for (var i = (y * width + x0) * 3; x0 < x1; x0++, i += 3)
        {
            c[i] = color.R;
            c[i + 1] = color.G;
            c[i + 2] = color.B;
        }
    }

    /// <summary>Pixels y0..y1-1 of column x set to the colour, clipped to the image.</summary>
    private static void Column(Span<byte> c, int width, int x, int y0, int y1, Rgb color)
    {
        if (x < 0 || x >= width) return;
        y0 = Math.Max(y0, 0);
        y1 = Math.Min(y1, c.Length / (width * 3));
        for (var i = (y0 * width + x) * 3; y0 < y1; y0++, i += width * 3)
        {
            c[i] = color.R;
            c[i + 1] = color.G;
            c[i + 2] = color.B;
        }
    }

    private const int BlendTableSize = 3 * 256;

    /// <summary>
    /// Each channel value blended towards the colour, for all 256 values once: table[256 k + v] is channel k's value
    /// v moved by alpha towards the colour, by the same float expression a pixel at a time would use.
    /// </summary>
    private static void BuildBlendTable(Span<byte> table, Rgb color, float alpha)
    {
        for (var v = 0; v < 256; v++)
        {
            table[v] = (byte)(v + (color.R - v) * alpha);
            table[256 + v] = (byte)(v + (color.G - v) * alpha);
            table[512 + v] = (byte)(v + (color.B - v) * alpha);
        }
    }

    /// <summary>Every pixel of the rectangle (clipped to the image) through the blend table.</summary>
    private static void Blend(Span<byte> c, int width, PixelRect r, ReadOnlySpan<byte> table)
    {
        var red = table[..256];
        var green = table.Slice(256, 256);
        var blue = table[512..];
        int x0 = Math.Max(r.X, 0), x1 = Math.Min(r.Right, width), y1 = Math.Min(r.Bottom, c.Length / (width * 3));
        if (x1 <= x0) return;
        for (var y = Math.Max(r.Y, 0); y < y1; y++)
        {
            var line = c.Slice((y * width + x0) * 3, (x1 - x0) * 3);
            for (var i = 0; i < line.Length; i += 3)
            {
                line[i] = red[line[i]];
                line[i + 1] = green[line[i + 1]];
                line[i + 2] = blue[line[i + 2]];
            }
        }
    }
}
