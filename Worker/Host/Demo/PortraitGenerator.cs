using CollectionWorker.Inspection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace CollectionWorker.Host.Demo;

/// <summary>
/// Draws a studio ID portrait with plain pixel code (backdrop, hair, face with features, ears,
/// neck, jacket and shirt) and saves it as a real JPEG. Each <see cref="PortraitSpec"/> knob
/// introduces one defect, so a test can show that a check catches it and nothing else fires, and
/// the demo campaign can show a newcomer good and bad photos without anyone's real face.
/// </summary>
public static class PortraitGenerator
{
    private const int W = 480;
    private const int H = 640;

    public static byte[] Jpeg(PortraitSpec spec) => Encode(Render(spec), spec);

    public static string Save(PortraitSpec spec, string folder, string name)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, Jpeg(spec));
        return path;
    }

    public static Image<Rgb24> Render(PortraitSpec spec)
    {
        var rng = new Random(spec.Seed);
        var r = new float[W * H];
        var g = new float[W * H];
        var b = new float[W * H];
        var subject = new bool[W * H];

        // Person, drawn back to front; every pixel of the person is marked in `subject`.
        void Put(int x, int y, Rgb c, float shade = 1)
        {
            if (x < 0 || y < 0 || x >= W || y >= H) return;
            var i = y * W + x;
            r[i] = c.R * shade; g[i] = c.G * shade; b[i] = c.B * shade;
            subject[i] = true;
        }
        void Ellipse(double cx, double cy, double rx, double ry, Func<int, int, Rgb> colour, bool shaded = false)
        {
            for (var y = (int)(cy - ry); y <= (int)(cy + ry); y++)
                for (var x = (int)(cx - rx); x <= (int)(cx + rx); x++)
                {
                    var dx = (x - cx) / rx;
                    var dy = (y - cy) / ry;
                    var d = dx * dx + dy * dy;
                    if (d > 1) continue;
                    Put(x, y, colour(x, y), shaded ? (float)(1 - 0.12 * d) : 1);
                }
        }

        var clothing = (int x, int y) => spec.Stripes > 0 && (y / (spec.Stripes / 2)) % 2 == 0 ? new Rgb(235, 235, 235) : spec.Clothing;
        Ellipse(240, 710, 265, 240, clothing);
        // Shirt: a V below the neck.
        for (var y = 470; y < 610; y++)
        {
            var half = 44 * (610 - y) / 140.0;
            for (var x = (int)(240 - half); x <= (int)(240 + half); x++) Put(x, y, spec.Shirt);
        }
        for (var y = 370 + Math.Min(0, spec.HeadShift); y < 490; y++)
            for (var x = 192; x <= 288; x++) Put(x, y, spec.Skin, 0.9f);
        var s = spec.HeadShift;
        if (spec.LongHair)
        {
            for (var y = 250 + s; y < 560; y++)
                foreach (var side in new[] { -1, 1 })
                    for (var x = 240 + side * 95; x != 240 + side * 150; x += side) Put(x, y, spec.Hair);
        }
        Ellipse(240, 245 + s, 122, 165, (_, _) => spec.Hair);                  // hair: top at y = 80, down the sides
        for (var k = 0; k < spec.FlyawayHairs; k++)
        {
            // A strand: a 1-px dark curve leaving the hair outline outwards.
            var angle = Math.PI * (1.05 + 0.9 * rng.NextDouble());
            var length = rng.Next(12, 30);
            double hx = 240 + 122 * Math.Cos(angle), hy = 245 + s + 165 * Math.Sin(angle);
            for (var t = 0; t < length; t++)
                Put((int)(hx + t * Math.Cos(angle) + 3 * Math.Sin(t / 4.0)), (int)(hy + t * Math.Sin(angle)), spec.Hair);
        }
        Ellipse(136, 295 + s, 14, 28, (_, _) => spec.Skin, shaded: true);      // ears
        Ellipse(344, 295 + s, 14, 28, (_, _) => spec.Skin, shaded: true);
        Ellipse(240, 292 + s, 104, 128, (_, _) => spec.Skin, shaded: true);    // face: 208 px wide
        Ellipse(240, 175 + s, 96, 40, (_, _) => spec.Hair);                    // fringe line above the brows
        foreach (var ex in new[] { 198, 282 })
        {
            for (var y = 248 + s; y < 254 + s; y++) for (var x = ex - 20; x < ex + 20; x++) Put(x, y, spec.Hair);   // brows
            Ellipse(ex, 272 + s, 16, 7, (_, _) => new Rgb(245, 245, 245));                                         // eyes
            Ellipse(ex, 272 + s, 6, 6, (_, _) => new Rgb(40, 30, 25));
        }
        for (var y = 280 + s; y < 325 + s; y++) Put(240 + (y - 280 - s) / 15, y, spec.Skin, 0.8f);                 // nose
        Ellipse(240, 352 + s, 26, 6, (_, _) => new Rgb(175, 95, 90));                                              // lips
        if (spec.EyesClosed)
            foreach (var ex in new[] { 198, 282 })
            {
                Ellipse(ex, 272 + s, 17, 8, (_, _) => spec.Skin, shaded: true);
                for (var x = ex - 15; x <= ex + 15; x++) { Put(x, 273 + s, spec.Hair); Put(x, 274 + s, spec.Hair); }
            }
        if (spec.Glasses)
        {
            foreach (var ex in new[] { 198, 282 })
                for (var a = 0.0; a < 2 * Math.PI; a += 0.004)
                    for (var t = 0; t < 4; t++)
                        Put((int)(ex + (30 + t) * Math.Cos(a)), (int)(274 + s + (21 + t) * Math.Sin(a)), new Rgb(20, 20, 24));
            for (var x = 228; x <= 252; x++) for (var y = 268 + s; y < 272 + s; y++) Put(x, y, new Rgb(20, 20, 24));
        }
        if (spec.HairOverEyes)
            for (var y = 200 + s; y < 285 + s; y++)
                for (var x = 160; x <= 320; x++)
                    if (y < 255 + s + 30 * Math.Sin((x - 160) / 160.0 * Math.PI)) Put(x, y, spec.Hair);
        if (spec.HairOverEars)
            foreach (var ex in new[] { 136, 344 })
                Ellipse(ex, 290 + s, 20, 40, (_, _) => spec.Hair);
        if (spec.HotSpot) Ellipse(240, 300 + s, 60, 30, (_, _) => new Rgb(255, 255, 255));

        // Light on the person.
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
            {
                var i = y * W + x;
                if (!subject[i]) continue;
                var texture = (float)(rng.NextDouble() * 6 - 3);
                r[i] += texture; g[i] += texture; b[i] += texture;
                if (spec.SideLight != 0 && y < 440)
                {
                    var f = (float)(1 + spec.SideLight * Math.Clamp((x - 240) / 100.0, -1, 1));
                    r[i] *= f; g[i] *= f; b[i] *= f;
                }
                if (spec.SubjectExposure > 0)
                {
                    var k = (float)spec.SubjectExposure;
                    r[i] += (255 - r[i]) * k; g[i] += (255 - g[i]) * k; b[i] += (255 - b[i]) * k;
                }
                else if (spec.SubjectExposure < 0)
                {
                    var k = (float)(1 + spec.SubjectExposure);
                    r[i] *= k; g[i] *= k; b[i] *= k;
                }
            }

        // Backdrop, with its light (vignette, gradients, shadow, blotches).
        var shadow = spec.Shadow > 0 ? ShadowMap(subject, 24, 10, 12) : null;
        var blobs = Enumerable.Range(0, 14).Select(_ => (X: rng.Next(10, W - 10), Y: rng.Next(10, 420), R: rng.Next(25, 50), S: rng.Next(2) * 2 - 1)).ToArray();
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
            {
                var i = y * W + x;
                if (subject[i]) continue;
                var dx = (x - W / 2.0) / (W / 2.0);
                var dy = (y - H / 2.0) / (H / 2.0);
                var f = 1 - spec.Vignette * (dx * dx + dy * dy) / 2;
                f *= 1 + spec.Gradient * (y / (double)H - 0.5);
                f *= 1 + spec.GradientSideways * (x / (double)W - 0.5);
                if (shadow is not null) f *= 1 - spec.Shadow * shadow[i];
                if (spec.BackdropSpot > 0)
                    f *= 1 + spec.BackdropSpot * Math.Exp(-((x - 240.0) * (x - 240.0) + (y - 250.0) * (y - 250.0)) / (2 * 180.0 * 180.0));
                if (spec.Blotches > 0)
                    foreach (var blob in blobs)
                    {
                        var d2 = ((x - blob.X) * (x - blob.X) + (y - blob.Y) * (y - blob.Y)) / (double)(blob.R * blob.R);
                        f *= 1 + blob.S * spec.Blotches * Math.Exp(-d2);
                    }
                r[i] = (float)(spec.Background.R * f);
                g[i] = (float)(spec.Background.G * f);
                b[i] = (float)(spec.Background.B * f);
            }
        if (spec.ObjectBeside)
            for (var y = 150; y < 420; y++)
                for (var x = 22; x < 58; x++)
                {
                    var i = y * W + x;
                    r[i] = 70; g[i] = 60; b[i] = 55;
                }
        if (spec.Watermark)
            foreach (var (tx, ty) in new[] { (8, 20), (330, 20), (8, 460), (370, 420) })
                DrawText(r, g, b, tx, ty, "SAMPLE", 4, 0.55f);

        // Camera: blur, white balance, noise.
        if (spec.BlurSigma > 0)
            foreach (var ch in new[] { r, g, b }) GaussianBlur(ch, spec.BlurSigma);
        var image = new Image<Rgb24>(W, H);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < H; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < W; x++)
                {
                    var i = y * W + x;
                    row[x] = new Rgb24(Channel(r[i] * spec.Cast.R + Gauss(rng) * spec.Noise), Channel(g[i] * spec.Cast.G + Gauss(rng) * spec.Noise),
                        Channel(b[i] * spec.Cast.B + Gauss(rng) * spec.Noise));
                }
            }
        });
        if (spec.Width != W || spec.Height != H) image.Mutate(x => x.Resize(spec.Width, spec.Height));
        return image;
    }

    public static byte[] Encode(Image<Rgb24> image, PortraitSpec spec, JpegColorType colorType = JpegColorType.YCbCrRatio420)
    {
        image.Metadata.HorizontalResolution = spec.Dpi;
        image.Metadata.VerticalResolution = spec.Dpi;
        image.Metadata.ResolutionUnits = PixelResolutionUnit.PixelsPerInch;
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = spec.Quality, ColorType = colorType });
        image.Dispose();
        return stream.ToArray();
    }

    private static byte Channel(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private static double Gauss(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static float[] ShadowMap(bool[] subject, int dx, int dy, int radius)
    {
        var map = new float[W * H];
        for (var y = 0; y < H; y++)
            for (var x = 0; x < W; x++)
            {
                int sx = x - dx, sy = y - dy;
                if (sx >= 0 && sy >= 0 && sx < W && sy < H && subject[sy * W + sx]) map[y * W + x] = 1;
            }
        GaussianBlur(map, radius / 2.0);
        return map;
    }

    /// <summary>Three box blurs approximate a Gaussian of the given sigma.</summary>
    private static void GaussianBlur(float[] channel, double sigma)
    {
        var radius = Math.Max(1, (int)Math.Round(Math.Sqrt(12 * sigma * sigma / 3 + 1) / 2));
        var tmp = new float[channel.Length];
        for (var pass = 0; pass < 3; pass++)
        {
            BoxBlur(channel, tmp, radius, horizontal: true);
            BoxBlur(tmp, channel, radius, horizontal: false);
        }
    }

    private static void BoxBlur(float[] src, float[] dst, int radius, bool horizontal)
    {
        int outer = horizontal ? H : W, inner = horizontal ? W : H;
        for (var o = 0; o < outer; o++)
        {
            float sum = 0;
            int Idx(int k) => horizontal ? o * W + Math.Clamp(k, 0, W - 1) : Math.Clamp(k, 0, H - 1) * W + o;
            for (var k = -radius; k <= radius; k++) sum += src[Idx(k)];
            for (var k = 0; k < inner; k++)
            {
                dst[Idx(k)] = sum / (2 * radius + 1);
                sum += src[Idx(k + radius + 1)] - src[Idx(k - radius)];
            }
        }
    }

    private static void DrawText(float[] r, float[] g, float[] b, int x, int y, string text, int scale, float alpha)
    {
        var width = BitmapFont.Measure(text, scale);
        var height = BitmapFont.GlyphHeight * scale;
        var mask = new byte[width * height * 3];
        BitmapFont.Draw(mask, width, height, 0, 0, text, new Rgb(255, 255, 255), scale);
        for (var yy = 0; yy < height; yy++)
            for (var xx = 0; xx < width; xx++)
            {
                if (mask[(yy * width + xx) * 3] == 0 || x + xx >= W || y + yy >= H) continue;
                var i = (y + yy) * W + x + xx;
                r[i] += (255 - r[i]) * alpha; g[i] += (255 - g[i]) * alpha; b[i] += (255 - b[i]) * alpha;
            }
    }
}
