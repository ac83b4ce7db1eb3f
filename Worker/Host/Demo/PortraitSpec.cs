using CollectionWorker.Inspection;

namespace CollectionWorker.Host.Demo;

/// <summary>
/// What the synthetic studio portrait looks like. The defaults are a compliant photo as a real
/// studio makes it: light-blue backdrop with a slight vignette, sensor noise, dark hair reaching
/// down the sides, a dark jacket over a white shirt, JPEG quality 85 at 300 dpi.
/// </summary>
public sealed record PortraitSpec
{
    public Rgb Background { get; init; } = new(100, 197, 255);
    /// <summary>Corner darkening of the backdrop (fraction); real studio backdrops are a little vignetted.</summary>
    public double Vignette { get; init; } = 0.06;
    /// <summary>Backdrop brightness change from top to bottom (fraction, e.g. -0.35 = darker towards the bottom).</summary>
    public double Gradient { get; init; }
    /// <summary>Left-to-right backdrop brightness change (fraction).</summary>
    public double GradientSideways { get; init; }
    /// <summary>Darkening (fraction) of a soft shadow cast on the backdrop, offset right and down.</summary>
    public double Shadow { get; init; }
    /// <summary>Amplitude (fraction) of smooth blotches on the backdrop.</summary>
    public double Blotches { get; init; }
    /// <summary>Semi-transparent "SAMPLE" text on the backdrop.</summary>
    public bool Watermark { get; init; }
    /// <summary>An object (lamp stand) on the backdrop beside the person.</summary>
    public bool ObjectBeside { get; init; }

    /// <summary>Brightness (fraction) of a backdrop light aimed behind the head: a soft bright halo, common in studios.</summary>
    public double BackdropSpot { get; init; }

    /// <summary>Moves the head up (negative) or down (pixels); -70 puts the hair against the top edge.</summary>
    public int HeadShift { get; init; }
    /// <summary>Thin stray hairs sticking out of the hair outline (count).</summary>
    public int FlyawayHairs { get; init; }
    /// <summary>Long hair falling over the shoulders.</summary>
    public bool LongHair { get; init; }

    public Rgb Skin { get; init; } = new(214, 170, 140);
    public Rgb Hair { get; init; } = new(26, 22, 20);
    public Rgb Clothing { get; init; } = new(38, 38, 44);
    public Rgb Shirt { get; init; } = new(240, 240, 236);
    /// <summary>Stripe period (px) across the clothing; 0 = plain.</summary>
    public int Stripes { get; init; }

    /// <summary>Exposure of the person: &gt; 0 lifts towards white, &lt; 0 darkens towards black (fraction).</summary>
    public double SubjectExposure { get; init; }
    /// <summary>Dark glasses frames around the eyes, with a bridge.</summary>
    public bool Glasses { get; init; }
    /// <summary>Eyes shut: skin-coloured lids with a lash line.</summary>
    public bool EyesClosed { get; init; }
    /// <summary>A fringe of hair hanging over the brows and eyes.</summary>
    public bool HairOverEyes { get; init; }
    /// <summary>Hair hanging over both ears.</summary>
    public bool HairOverEars { get; init; }

    /// <summary>A blown-out highlight on the face (flash hot spot).</summary>
    public bool HotSpot { get; init; }
    /// <summary>Side light on the face: left side darker by this fraction, right side brighter.</summary>
    public double SideLight { get; init; }

    /// <summary>Per-channel multipliers on the whole photo (white balance).</summary>
    public (double R, double G, double B) Cast { get; init; } = (1, 1, 1);
    public double BlurSigma { get; init; }
    public double Noise { get; init; } = 1.5;

    /// <summary>Output size; the portrait is drawn at 480x640 and resized (stretch when the ratio differs).</summary>
    public int Width { get; init; } = 480;
    public int Height { get; init; } = 640;
    public int Quality { get; init; } = 85;
    public double Dpi { get; init; } = 300;
    public int Seed { get; init; } = 7;
}
