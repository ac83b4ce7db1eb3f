using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>
/// Draws a studio-style portrait in pixel code (skin-tone oval, hair, brows, eyes with dark irises,
/// nose, lips, ears, neck and shoulders on a plain background) that BlazeFace takes for a face,
/// and tells where it drew the six keypoints. Everything is placed in a face frame whose unit is
/// <see cref="FaceWidth"/> (cheek to cheek), centred between the eyes, then tilted by
/// <see cref="RollDegrees"/> and turned by <see cref="YawDegrees"/>.
/// </summary>
public sealed record SyntheticFace
{
    public int Width { get; init; } = 480;
    public int Height { get; init; } = 640;
    public Rgb24 Background { get; init; } = new(100, 197, 255);

    /// <summary>The head's horizontal centre (midpoint of the ears when facing the camera).</summary>
    public float CenterX { get; init; } = 240;

    /// <summary>Height of the eye line, pixels from the top edge.</summary>
    public float EyeLineY { get; init; } = 250;

    /// <summary>Cheek-to-cheek width of the face oval in pixels; the unit of every other measure of the drawing.</summary>
    public float FaceWidth { get; init; } = 230;

    /// <summary>Tilt in the picture plane; positive turns the face clockwise (the subject's left eye, on the image's right, goes down).</summary>
    public float RollDegrees { get; init; }

    /// <summary>Head turn; positive turns the nose to the image's right.</summary>
    public float YawDegrees { get; init; }

    /// <summary>Top of the hair above the eye line, in face widths (0.75 = an ordinary haircut).</summary>
    public float HairTop { get; init; } = 0.75f;

    /// <summary>Tilt of the shoulders; positive lowers the image's right shoulder.</summary>
    public float ShoulderTiltDegrees { get; init; }

    /// <summary>Ring-shaped frames around both eyes, like glasses.</summary>
    public bool Glasses { get; init; }

    /// <summary>Draw shoulders and neck (off for a small face in the background, which is drawn whole elsewhere).</summary>
    public bool Body { get; init; } = true;

    /// <summary>Other faces drawn into the same picture (a person in the background).</summary>
    public IReadOnlyList<SyntheticFace> Others { get; init; } = [];

    /// <summary>Stretch applied to the whole picture horizontally (1 = none): a stretched photo.</summary>
    public float StretchX { get; init; } = 1;

    /// <summary>Where the keypoints were drawn (subject's right eye first, as BlazeFace orders them).</summary>
    public FaceLandmarks Truth => new(
        Place(-0.215f, 0, EyeDepth), Place(0.215f, 0, EyeDepth),
        Place(0, 0.30f, NoseDepth), Place(0, 0.47f, MouthDepth),
        Place(-TragionX, 0.12f, EarDepth), Place(TragionX, 0.12f, EarDepth));

    /// <summary>The tragion sits at the front edge of the drawn ear, where it meets the cheek.</summary>
    public const float TragionX = 0.455f;

    /// <summary>Tragion to tragion as drawn, in pixels (before any stretch): what the face width measures.</summary>
    public float TragionDistance => 2 * TragionX * FaceWidth * MathF.Cos(YawDegrees * MathF.PI / 180);

    /// <summary>Top of the hair, pixels from the top edge, when the head is upright.</summary>
    public float HeadTopY => EyeLineY - HairTop * FaceWidth;

    private const float EyeDepth = 0.35f, NoseDepth = 0.62f, MouthDepth = 0.42f, EarDepth = -0.03f, CheekDepth = 0.15f;

    private static readonly Rgb24 Skin = new(226, 176, 144), SkinShade = new(200, 148, 116), Ear = new(214, 160, 128),
        Hair = new(34, 28, 26), Brow = new(52, 40, 32), EyeWhite = new(238, 236, 230), Iris = new(62, 42, 30),
        Pupil = new(12, 10, 10), Lips = new(182, 84, 88), LipLine = new(110, 42, 48), Nostril = new(128, 80, 64),
        Clothes = new(46, 48, 58), Frame = new(20, 20, 24);

    public Image<Rgb24> Render()
    {
        var image = new Image<Rgb24>(Width, Height, Background);
        var canvas = new Canvas(image);
        foreach (var other in Others) other.Paint(canvas);
        Paint(canvas);
        return image;
    }

    /// <summary>Renders, saves as a real JPEG (quality 92) and decodes it again, as the inspection will see it.</summary>
    public Image<Rgb24> RenderJpeg(string folder, string name)
    {
        var path = Path.Combine(folder, name + ".jpg");
        using (var image = Render())
            image.SaveAsJpeg(path, new JpegEncoder { Quality = 92 });
        return Image.Load<Rgb24>(path);
    }

    private void Paint(Canvas c)
    {
        var w = FaceWidth;
        if (Body)
        {
            // Shoulders and neck stay upright: a tilted head on level shoulders.
            var neckTop = Place(0, 0.6f, 0);
            var shoulders = Stretch(CenterX);
            c.Ellipse(shoulders, EyeLineY + 1.75f * w, 1.25f * w * StretchX, 0.75f * w, ShoulderTiltDegrees, Clothes);
            c.Ellipse(neckTop.X, EyeLineY + 0.95f * w, 0.24f * w * StretchX, 0.42f * w, 0, SkinShade);
        }

        var cos = MathF.Cos(YawDegrees * MathF.PI / 180);
        // The hair: an oval whose top is HairTop above the eye line and whose bottom hides behind the face.
        var hairRy = (HairTop + 0.1f) / 2 + 0.075f;
        Shape(0, -HairTop + hairRy, 0.56f, hairRy, Hair, CheekDepth, yawSquash: false);
        Shape(-0.53f, 0.12f, 0.075f, 0.14f, Ear, EarDepth, yawSquash: false);
        Shape(0.53f, 0.12f, 0.075f, 0.14f, Ear, EarDepth, yawSquash: false);
        Shape(0, 0.16f, 0.5f, 0.66f, Skin, CheekDepth, yawSquash: false);
        // The hairline: hair over the top of the face oval (local y is from the oval's centre at 0.16).
        Shape(0, 0.16f, 0.5f, 0.66f, Hair, CheekDepth, yawSquash: false, maxLocalY: -0.46f);
        foreach (var side in new[] { -1f, 1f })
        {
            Shape(side * 0.215f, -0.095f, 0.095f, 0.02f, Brow, EyeDepth);
            Shape(side * 0.215f, 0, 0.078f, 0.036f, EyeWhite, EyeDepth);
            Shape(side * 0.215f, 0, 0.034f, 0.034f, Iris, EyeDepth);
            Shape(side * 0.215f, 0, 0.014f, 0.014f, Pupil, EyeDepth);
        }
        // Nose: a shaded ridge, a shaded tip and two nostrils.
        Shape(0.02f, 0.16f, 0.035f, 0.14f, SkinShade, NoseDepth);
        Shape(0, 0.28f, 0.07f, 0.05f, SkinShade, NoseDepth);
        Shape(-0.04f, 0.32f, 0.022f, 0.013f, Nostril, NoseDepth);
        Shape(0.04f, 0.32f, 0.022f, 0.013f, Nostril, NoseDepth);
        Shape(0, 0.47f, 0.12f, 0.036f, Lips, MouthDepth);
        Shape(0, 0.47f, 0.11f, 0.006f, LipLine, MouthDepth);
        if (Glasses)
        {
            foreach (var side in new[] { -1f, 1f })
                Shape(side * 0.215f, 0, 0.12f, 0.09f, Frame, EyeDepth, ring: 0.016f);
            Shape(0, -0.01f, 0.05f, 0.008f, Frame, EyeDepth);
        }

        void Shape(float x, float y, float rx, float ry, Rgb24 colour, float depth, bool yawSquash = true, float maxLocalY = float.MaxValue, float ring = 0)
        {
            var centre = Place(x, y, depth);
            var sx = (yawSquash ? rx * cos : rx) * w;
            c.Ellipse(centre.X, centre.Y, sx * StretchX, ry * w, RollDegrees, colour, ring * w, maxLocalY == float.MaxValue ? float.MaxValue : maxLocalY * w);
        }
    }

    /// <summary>From the face frame (unit = face width, origin between the eyes, depth towards the camera) to image pixels.</summary>
    private FacePoint Place(float x, float y, float depth)
    {
        var yaw = YawDegrees * MathF.PI / 180;
        var roll = RollDegrees * MathF.PI / 180;
        var tx = (x * MathF.Cos(yaw) + depth * MathF.Sin(yaw)) * FaceWidth;
        var ty = y * FaceWidth;
        var px = CenterX + tx * MathF.Cos(roll) - ty * MathF.Sin(roll);
        var py = EyeLineY + tx * MathF.Sin(roll) + ty * MathF.Cos(roll);
        return new FacePoint(Stretch(px), py);
    }

    /// <summary>A stretched photo: widened about the picture's centre line.</summary>
    private float Stretch(float x) => Width / 2f + (x - Width / 2f) * StretchX;

    /// <summary>Paints anti-aliased filled ellipses (4x4 samples per pixel) onto an image.</summary>
    private sealed class Canvas(Image<Rgb24> image)
    {
        public void Ellipse(float cx, float cy, float rx, float ry, float rotationDegrees, Rgb24 colour, float ring = 0, float maxLocalY = float.MaxValue)
        {
            var a = rotationDegrees * MathF.PI / 180;
            float cos = MathF.Cos(a), sin = MathF.Sin(a);
            var reach = MathF.Max(rx, ry) + 1;
            int x0 = Math.Max(0, (int)(cx - reach)), x1 = Math.Min(image.Width - 1, (int)(cx + reach) + 1);
            int y0 = Math.Max(0, (int)(cy - reach)), y1 = Math.Min(image.Height - 1, (int)(cy + reach) + 1);
            for (var y = y0; y <= y1; y++)
            {
                for (var x = x0; x <= x1; x++)
                {
                    var hits = 0;
                    for (var sy = 0; sy < 4; sy++)
                    for (var sx = 0; sx < 4; sx++)
                    {
                        float dx = x + (sx + 0.5f) / 4 - 0.5f - cx, dy = y + (sy + 0.5f) / 4 - 0.5f - cy;
                        // Into the ellipse's own frame (undo the rotation).
                        float lx = dx * cos + dy * sin, ly = -dx * sin + dy * cos;
                        if (ly > maxLocalY) continue;
                        var outer = lx * lx / (rx * rx) + ly * ly / (ry * ry);
                        if (outer > 1) continue;
                        if (ring > 0)
                        {
                            float irx = rx - ring, iry = ry - ring;
                            if (lx * lx / (irx * irx) + ly * ly / (iry * iry) < 1) continue;
                        }
                        hits++;
                    }
                    if (hits == 0) continue;
                    var t = hits / 16f;
                    var p = image[x, y];
                    image[x, y] = new Rgb24(
                        (byte)(p.R + (colour.R - p.R) * t + 0.5f),
                        (byte)(p.G + (colour.G - p.G) * t + 0.5f),
                        (byte)(p.B + (colour.B - p.B) * t + 0.5f));
                }
            }
        }
    }
}
