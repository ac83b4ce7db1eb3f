using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CollectionWorker.Tests.Inspection.RealFaces;

/// <summary>One real calibration photo: its file, the hand-placed pupils and hair top, and whether its smile shows teeth.</summary>
public sealed record CalibrationPhoto(string File, bool Neutral, (float X, float Y)? ImageLeftPupil, (float X, float Y)? ImageRightPupil, int HairTopY, bool? TeethVisible)
{
    public string Name => Path.GetFileName(File);
    public byte[] Bytes() => System.IO.File.ReadAllBytes(File);
}

/// <summary>
/// The real-face calibration photos (Face Research Lab London Set, CC BY 4.0, see Calibration/README.md)
/// copied beside the tests, with <c>landmarks.csv</c> (pupils and hair top, placed by hand) and our own
/// <c>expectations.csv</c> (teeth visible or lips closed, judged by eye on every smiling photo).
/// </summary>
public static class CalibrationSet
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Inspection", "Calibration");

    public static IReadOnlyList<CalibrationPhoto> All { get; } = Load();
    public static IEnumerable<CalibrationPhoto> Neutral => All.Where(p => p.Neutral);
    public static IEnumerable<CalibrationPhoto> Smiling => All.Where(p => !p.Neutral);

    /// <summary>Every photo's name, for a theory over the whole set.</summary>
    public static TheoryData<string> Names() => new(All.Select(p => p.Name));

    public static CalibrationPhoto Get(string name) => All.Single(p => p.Name == name);

    private static List<CalibrationPhoto> Load()
    {
        var teeth = File.ReadAllLines(Path.Combine(Folder, "expectations.csv")).Skip(1)
            .Select(l => l.Split(',')).ToDictionary(c => c[0], c => c[1] == "yes");
        var photos = new List<CalibrationPhoto>();
        foreach (var line in File.ReadAllLines(Path.Combine(Folder, "landmarks.csv")).Skip(1))
        {
            var c = line.Split(',');
            (float, float)? Point(int i) => c[i] == "" ? null : (F(c[i]), F(c[i + 1]));
            photos.Add(new CalibrationPhoto(Path.Combine(Folder, c[0]), c[1] == "neutral", Point(2), Point(4), int.Parse(c[6], CultureInfo.InvariantCulture),
                teeth.TryGetValue(c[0], out var t) ? t : null));
        }
        return photos;
    }

    private static float F(string s) => float.Parse(s, CultureInfo.InvariantCulture);
}

/// <summary>
/// Real defects derived from a compliant real photo, as a student's upload would carry them: another
/// backdrop colour (the light-blue backdrop is recognised by its colour and blended out along the
/// outline, so hair edges stay soft), darker exposure, no colour, a shifted or smaller head.
/// </summary>
public static class Derive
{
    private static readonly Rgb24 Blue = new(100, 197, 255);

    public static byte[] Jpeg(Image<Rgb24> image, int quality = 90)
    {
        using var s = new MemoryStream();
        image.SaveAsJpeg(s, new JpegEncoder { Quality = quality, ColorType = JpegColorType.YCbCrRatio420 });
        return s.ToArray();
    }

    public static Image<Rgb24> Load(CalibrationPhoto p) => Image.Load<Rgb24>(p.File);

    /// <summary>The backdrop replaced by <paramref name="backdrop"/>: pixels close to the light blue become it, the outline blends.</summary>
    public static Image<Rgb24> OnBackdrop(CalibrationPhoto p, Rgb24 backdrop)
    {
        var image = Load(p);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var c = row[x];
                    var distance = Math.Sqrt(Sq(c.R - Blue.R) + Sq(c.G - Blue.G) + Sq(c.B - Blue.B));
                    var subject = Math.Clamp((distance - 20) / 60, 0, 1); // 1 = the person, 0 = backdrop
                    row[x] = new Rgb24(Mix(backdrop.R, c.R, subject), Mix(backdrop.G, c.G, subject), Mix(backdrop.B, c.B, subject));
                }
            }
        });
        return image;
    }

    /// <summary>Charcoal stripes (7 px) painted across the white T-shirt, then the backdrop replaced by <paramref name="backdrop"/>.</summary>
    public static Image<Rgb24> StripedShirtOn(CalibrationPhoto p, Rgb24 backdrop)
    {
        var image = OnBackdrop(p, backdrop);
        using var original = Load(p);
        for (var y = 500; y < image.Height; y++)
            for (var x = 0; x < image.Width; x++)
            {
                var c = original[x, y];
                // The shirt: near-white in the original (the original backdrop is light blue, so blue-free white is cloth).
                if (c.R > 190 && c.G > 190 && c.B > 190 && Math.Abs(c.R - c.B) < 25 && (y / 7) % 2 == 0) image[x, y] = new Rgb24(45, 45, 50);
            }
        return image;
    }

    /// <summary>Every pixel scaled by <paramref name="factor"/> (an under-exposed photo).</summary>
    public static Image<Rgb24> Darker(CalibrationPhoto p, float factor)
    {
        var image = Load(p);
        image.Mutate(x => x.Brightness(factor));
        return image;
    }

    /// <summary>Black and white, saved as an ordinary 3-channel colour JPEG.</summary>
    public static Image<Rgb24> Grayscale(CalibrationPhoto p)
    {
        var image = Load(p);
        image.Mutate(x => x.Grayscale());
        return image;
    }

    /// <summary>The photo moved by (dx, dy); the uncovered edge is filled with the backdrop.</summary>
    public static Image<Rgb24> Shifted(CalibrationPhoto p, int dx, int dy)
    {
        using var source = Load(p);
        var image = new Image<Rgb24>(source.Width, source.Height, Blue);
        image.Mutate(x => x.DrawImage(source, new Point(dx, dy), 1f));
        return image;
    }

    /// <summary>The whole photo shrunk by <paramref name="scale"/> about its centre on the backdrop (the head too small).</summary>
    public static Image<Rgb24> Smaller(CalibrationPhoto p, float scale)
    {
        using var source = Load(p);
        var w = (int)(source.Width * scale);
        var h = (int)(source.Height * scale);
        using var small = source.Clone(x => x.Resize(w, h));
        var image = new Image<Rgb24>(source.Width, source.Height, Blue);
        // Bottom-aligned: the shoulders still reach the bottom edge, as in a photo taken from further away.
        image.Mutate(x => x.DrawImage(small, new Point((source.Width - w) / 2, source.Height - h), 1f));
        return image;
    }

    /// <summary>Rotated by <paramref name="degrees"/> about the centre (a tilted head), corners filled with the backdrop.</summary>
    public static Image<Rgb24> Rotated(CalibrationPhoto p, float degrees)
    {
        // With an alpha channel the corners the rotation uncovers stay transparent and show the backdrop.
        using var source = Image.Load<Rgba32>(p.File);
        using var turned = source.Clone(x => x.Rotate(degrees));
        var image = new Image<Rgb24>(source.Width, source.Height, Blue);
        image.Mutate(x => x.DrawImage(turned, new Point((source.Width - turned.Width) / 2, (source.Height - turned.Height) / 2), 1f));
        return image;
    }

    /// <summary>Both eyes shut: each eye (at the hand-placed pupils) painted over with the cheek's colour and a dark lash line.</summary>
    public static Image<Rgb24> EyesClosed(CalibrationPhoto p)
    {
        var image = Load(p);
        var (l, r) = (p.ImageLeftPupil!.Value, p.ImageRightPupil!.Value);
        var d = r.X - l.X;
        foreach (var (ex, ey) in new[] { l, r })
        {
            // The lid takes the cheek's average colour (a single pixel may be a highlight).
            int sr = 0, sg = 0, sb = 0, n = 0;
            for (var y = (int)(ey + 0.5f * d); y < ey + 0.6f * d; y++)
                for (var x = (int)(ex - 0.05f * d); x < ex + 0.05f * d; x++, n++)
                {
                    var c = image[x, y];
                    sr += c.R; sg += c.G; sb += c.B;
                }
            var cheek = new Rgb24((byte)(sr / n), (byte)(sg / n), (byte)(sb / n));
            for (var y = (int)(ey - 0.15f * d); y <= ey + 0.15f * d; y++)
                for (var x = (int)(ex - 0.3f * d); x <= ex + 0.3f * d; x++)
                {
                    var nx = (x - ex) / (0.3f * d);
                    var ny = (y - ey) / (0.15f * d);
                    if (nx * nx + ny * ny > 1) continue;
                    image[x, y] = Math.Abs(y - (ey + 0.03f * d)) < 1.5f && Math.Abs(nx) < 0.85f ? new Rgb24(40, 30, 28) : cheek;
                }
        }
        return image;
    }

    /// <summary>Dark glasses frames drawn around the hand-placed pupils, with a bridge over the nose.</summary>
    public static Image<Rgb24> Glasses(CalibrationPhoto p, float thickness = 0.04f, Rgb24? colour = null)
    {
        var image = Load(p);
        var (l, r) = (p.ImageLeftPupil!.Value, p.ImageRightPupil!.Value);
        var d = r.X - l.X;
        var frame = colour ?? new Rgb24(25, 25, 30);
        foreach (var (ex, ey) in new[] { l, r })
            for (var a = 0.0; a < 2 * Math.PI; a += 0.003)
                for (var t = 0f; t < thickness * d; t += 0.5f)
                    image[(int)(ex + (0.27f * d + t) * Math.Cos(a)), (int)(ey + 0.03f * d + (0.19f * d + t) * Math.Sin(a))] = frame;
        for (var x = (int)(l.X + 0.28f * d); x <= r.X - 0.28f * d; x++)
            for (var y = (int)((l.Y + r.Y) / 2 - thickness * d); y < (l.Y + r.Y) / 2; y++) image[x, y] = frame;
        return image;
    }

    private static double Sq(double v) => v * v;
    private static byte Mix(byte background, byte subject, double share) => (byte)Math.Round(background + (subject - background) * share);
}
