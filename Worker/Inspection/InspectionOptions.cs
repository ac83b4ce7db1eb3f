using CollectionWorker.Inspection.Face;

namespace CollectionWorker.Inspection;

/// <summary>
/// Config section <c>Inspection</c>: every limit of the photo inspection, with the national
/// standard's values (SPEC.md) as defaults, and the policy of which finding codes reject.
/// Limits that are not in the standard (how much gradient is "a gradient") are tuned to ordinary
/// studio photos, leaning towards a <c>review</c> flag rather than a wrong automatic rejection.
/// </summary>
public sealed class InspectionOptions
{
    public const string Section = "Inspection";

    /// <summary>
    /// False: the service records uploads but leaves them awaiting inspection (for measuring intake
    /// alone, or while limits are being tuned); check-photo still inspects.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Photos inspected at the same time (the service's inspection stage and check-photo), one per
    /// core; 0 = as many as the machine has cores. Results keep the order of the photos.
    /// </summary>
    public int Parallelism { get; set; }

    /// <summary><see cref="Parallelism"/> with 0 resolved to the number of cores.</summary>
    public int PhotosAtOnce => Parallelism > 0 ? Parallelism : Environment.ProcessorCount;

    public FileLimits File { get; set; } = new();
    public BackgroundLimits Background { get; set; } = new();
    public LightLimits Light { get; set; } = new();
    public ClothingLimits Clothing { get; set; } = new();

    /// <summary>
    /// The face stage's group (<c>Inspection:Face</c>). It is bound and validated as <see cref="FaceOptions"/>
    /// under its own registration; this property only lets the Inspection section know the key.
    /// </summary>
    public FaceOptions Face { get; set; } = new();

    /// <summary>
    /// Severity per finding code (<c>reject</c>, <c>review</c>, <c>info</c> or <c>off</c>); a code not
    /// listed keeps its built-in default (see <see cref="FindingCatalog"/>). This is the policy.
    /// </summary>
    public Dictionary<string, string> Severity { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class FileLimits
{
    public int Width { get; set; } = 480;
    public int Height { get; set; } = 640;
    /// <summary>How far width/height may be from 3:4 and still count as 3:4 (relative).</summary>
    public double AspectTolerance { get; set; } = 0.01;
    public int MinQuality { get; set; } = 60;
    public int TypicalMinKilobytes { get; set; } = 20;
    public int TypicalMaxKilobytes { get; set; } = 40;
    public int Dpi { get; set; } = 300;
    /// <summary>Files larger than this are not read at all.</summary>
    public int MaxFileMegabytes { get; set; } = 10;
    /// <summary>Decompression-bomb guard: a header announcing more pixels than this is refused before decoding.</summary>
    public int MaxMegapixels { get; set; } = 24;
    /// <summary>
    /// A colour photo has some colour somewhere (skin, lips, backdrop): the 98th percentile of the patches'
    /// CIELAB chroma below this is a black-and-white photo, whatever its channel count. The real calibration
    /// photos: 39 on light blue, 13 and more on white or light gray; a grayscale photo saved as colour JPEG: 0.
    /// </summary>
    public double MinColorChroma { get; set; } = 4;
}

public sealed class BackgroundLimits
{
    /// <summary>The allowed background colours. Null = the standard's three (light blue, white, light gray).</summary>
    public List<BackgroundReference>? References { get; set; }

    public IReadOnlyList<BackgroundReference> AllowedColors => References ?? StandardReferences;

    public static IReadOnlyList<BackgroundReference> StandardReferences { get; } =
    [
        new() { Name = "light blue", NameZh = "浅蓝色", R = 100, G = 197, B = 255 },
        new() { Name = "white", NameZh = "白色", R = 255, G = 255, B = 255 },
        new() { Name = "light gray", NameZh = "浅灰色", R = 240, G = 240, B = 240 },
    ];

    /// <summary>Largest CIEDE2000 distance from the background's median colour to the nearest allowed colour.</summary>
    public double MaxDeltaE { get; set; } = 15;
    /// <summary>Uniformity: 95th percentile of each patch's CIELAB ΔE from the smooth background model.</summary>
    public double MaxSpread { get; set; } = 7;
    /// <summary>Largest lightness change (L*) of the linear trend across the frame, top to bottom or left to right.</summary>
    public double MaxGradient { get; set; } = 14;
    /// <summary>Largest median darkening (L*) of the background in a band along the subject's outline.</summary>
    public double MaxShadow { get; set; } = 7;
    /// <summary>Largest share (%) of the plain background area covered by edges, text or objects.</summary>
    public double MaxClutterPercent { get; set; } = 0.6;
    /// <summary>Luma standard deviation (0–255) inside a 4x4 patch above which the patch holds an edge.</summary>
    public double ClutterEdgeStdDev { get; set; } = 9;
    /// <summary>Largest colour cast of the backdrop: its chroma when the nearest allowed colour is white or gray, its hue difference ΔH* when light blue.</summary>
    public double MaxCast { get; set; } = 12;
}

public sealed class BackgroundReference
{
    public string Name { get; set; } = "";
    public string NameZh { get; set; } = "";
    public int R { get; set; }
    public int G { get; set; }
    public int B { get; set; }
}

public sealed class LightLimits
{
    /// <summary>Median CIELAB L* of the face region: darker is "too dark" (well-lit dark skin sits near 20–50: the darkest real calibration face measures 21.7; a face that dark still counts as exposed when its highlights — eye whites, catchlights — reach luma 100).</summary>
    public double MinFaceLightness { get; set; } = 22;
    public double MaxFaceLightness { get; set; } = 88;
    /// <summary>
    /// How much darker (L*) than its nearest allowed colour the backdrop may be before the whole photo counts as
    /// too dark (EXPOSURE_DARK). A deeper studio blue (80,170,230) is 9 below light blue; a photo at 0.75 of its
    /// exposure puts light blue 18 below.
    /// </summary>
    public double MaxBackdropDarkening { get; set; } = 13;
    /// <summary>Share (%) of the face region that is blown out (luma ≥ 250) or crushed (luma ≤ 5).</summary>
    public double MaxClippedPercent { get; set; } = 8;
    /// <summary>Skin hue range (CIELAB hue angle, degrees) for every skin tone; outside it the light has a colour cast.</summary>
    public double MinSkinHue { get; set; } = 20;
    public double MaxSkinHue { get; set; } = 85;
    /// <summary>Variance of the Laplacian of luma over the head region; below it the photo is blurred.</summary>
    public double MinSharpness { get; set; } = 20;
    /// <summary>Largest difference (L*) between the left and the right cheek regions.</summary>
    public double MaxLeftRightDifference { get; set; } = 16;
}

public sealed class ClothingLimits
{
    /// <summary>A chest-band patch closer than this (CIELAB ΔE) to the background counts as background-coloured.</summary>
    public double MinDeltaEFromBackground { get; set; } = 12;
    /// <summary>Largest share (%) of the chest band that may look like the background.</summary>
    public double MaxBackgroundLikePercent { get; set; } = 50;
    /// <summary>Largest share (%) of the clothing that is blue (hue 200°–310°, chroma above <see cref="BlueMinChroma"/>).</summary>
    public double MaxBluePercent { get; set; } = 40;
    public double BlueMinChroma { get; set; } = 14;
    /// <summary>Light/dark alternations per 100 px in the chest band above which clothing is striped or patterned.</summary>
    public double MaxStripesPer100Px { get; set; } = 6;
}
