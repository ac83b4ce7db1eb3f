using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace CollectionWorker.Inspection;

/// <summary>
/// Draws the evidence image: the photo with the sampled backdrop (green tint), flagged patches
/// (red clutter, magenta shadow), measured regions with their values, and the standard's guide
/// bands (head top 50–110 px, eyes 200–300 px, centre line); beside it a panel with the verdict
/// and every finding. Text is drawn with <see cref="BitmapFont"/>: no font engine needed.
/// </summary>
public static class EvidenceRenderer
{
    private const int PanelWidth = 440;
    private const int Scale = 2;
    private const int LineHeight = (BitmapFont.GlyphHeight + 3) * Scale;
    private static readonly Rgb PanelBackground = new(24, 24, 28);

    public static byte[] RenderPng(PhotoAnalysis photo, InspectionResult result)
    {
        var lines = PanelLines(photo, result);
        var width = photo.Width + PanelWidth;
        var height = Math.Max(photo.Height, 8 + LineHeight * (lines.Count + 1));
        var canvas = new byte[width * height * 3];
        Fill(canvas, width, new PixelRect(0, 0, width, height), PanelBackground);
        for (var y = 0; y < photo.Height; y++)
            Buffer.BlockCopy(photo.Rgb, y * photo.Width * 3, canvas, y * width * 3, photo.Width * 3);

        var g = photo.Patches;
        foreach (var (patches, color) in photo.Evidence.Patches)
        {
            var alpha = color == Rgb.Green ? 0.25f : 0.6f;
            foreach (var p in patches)
            {
                var (cx, cy) = g.Centre(p);
                var rect = PixelRect.FromEdges((int)cx - g.Size / 2, (int)cy - g.Size / 2, (int)cx + (g.Size + 1) / 2, (int)cy + (g.Size + 1) / 2, photo.Width, photo.Height);
                Blend(canvas, width, rect, color, alpha);
            }
        }
        foreach (var (rect, color, label) in photo.Evidence.Regions)
        {
            Outline(canvas, width, rect, color);
            Label(canvas, width, height, rect.X + 2, rect.Y + 2, label, color);
        }

        var s = photo.Scale;
        var o = photo.Options.File;
        Band(canvas, width, height, photo.Width, (int)(50 * s), (int)(110 * s), Rgb.Cyan, $"HEAD TOP 50-110");
        Band(canvas, width, height, photo.Width, (int)(200 * s), (int)(300 * s), Rgb.Yellow, $"EYES 200-300");
        for (var y = 0; y < photo.Height; y += 6)
            for (var dy = 0; dy < 3 && y + dy < photo.Height; dy++)
                Set(canvas, width, photo.Width / 2, y + dy, Rgb.White);
        Label(canvas, width, height, 2, photo.Height - 2 - 9, $"{photo.Width}X{photo.Height} (STANDARD {o.Width}X{o.Height})", Rgb.White);

        var verdictColor = result.Verdict switch { Verdict.Reject => Rgb.Red, Verdict.Review => Rgb.Orange, _ => Rgb.Green };
        Fill(canvas, width, new PixelRect(photo.Width, 0, PanelWidth, LineHeight + 8), verdictColor);
        BitmapFont.Draw(canvas, width, height, photo.Width + 8, 5, $"VERDICT: {result.Verdict.ToWire()}", Rgb.Black, Scale);
        var ty = LineHeight + 14;
        foreach (var (text, color) in lines)
        {
            BitmapFont.Draw(canvas, width, height, photo.Width + 8, ty, text, color, Scale);
            ty += LineHeight;
        }

        using var image = Image.LoadPixelData<Rgb24>(canvas, width, height);
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { CompressionLevel = PngCompressionLevel.BestSpeed });
        return stream.ToArray();
    }

    private static List<(string Text, Rgb Color)> PanelLines(PhotoAnalysis photo, InspectionResult result)
    {
        var maxChars = (PanelWidth - 16) / ((BitmapFont.GlyphWidth + 1) * Scale);
        var lines = new List<(string, Rgb)>();
        foreach (var f in result.Findings)
        {
            var color = f.Severity switch { Severity.Reject => Rgb.Red, Severity.Review => Rgb.Orange, _ => Rgb.Gray };
            lines.Add(($"{f.Severity.ToWire()} {f.Code}", color));
            foreach (var w in Wrap($"  {f.Value} (LIMIT {f.Limit})", maxChars)) lines.Add((w, Rgb.White));
        }
        if (result.Findings.Count == 0) lines.Add(("NO FINDINGS", Rgb.Green));
        lines.Add(("", Rgb.White));
        lines.Add(("MEASURED:", Rgb.Cyan));
        foreach (var n in photo.Evidence.Notes)
            foreach (var w in Wrap(n, maxChars)) lines.Add((w, new Rgb(190, 190, 190)));
        lines.Add(("GREEN: SAMPLED BACKGROUND", Rgb.Green));
        return lines;
    }

    private static IEnumerable<string> Wrap(string text, int max)
    {
        var t = BitmapFont.Normalise(text);
        while (t.Length > max)
        {
            var cut = t.LastIndexOf(' ', max);
            if (cut <= 2) cut = max;
            yield return t[..cut];
            t = "  " + t[cut..].TrimStart();
        }
        yield return t;
    }

    private static void Band(byte[] c, int width, int height, int photoWidth, int top, int bottom, Rgb color, string label)
    {
        for (var x = 0; x < photoWidth; x++)
        {
            if (x / 4 % 2 != 0) continue; // dashed, so the photo stays visible
            Set(c, width, x, top, color);
            Set(c, width, x, bottom, color);
        }
        Label(c, width, height, photoWidth - BitmapFont.Measure(label, 1) - 4, top + 2, label, color);
    }

    private static void Label(byte[] c, int width, int height, int x, int y, string text, Rgb color)
    {
        var w = BitmapFont.Measure(text, 1) + 2;
        Blend(c, width, PixelRect.FromEdges(x - 1, y - 1, x + w, y + BitmapFont.GlyphHeight + 1, width, height), Rgb.Black, 0.6f);
        BitmapFont.Draw(c, width, height, x + 1, y, text, color, 1);
    }

    private static void Outline(byte[] c, int width, PixelRect r, Rgb color)
    {
        for (var x = r.X; x < r.Right; x++) { Set(c, width, x, r.Y, color); Set(c, width, x, r.Bottom - 1, color); }
        for (var y = r.Y; y < r.Bottom; y++) { Set(c, width, r.X, y, color); Set(c, width, r.Right - 1, y, color); }
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
