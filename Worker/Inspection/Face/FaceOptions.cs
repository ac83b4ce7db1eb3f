using Microsoft.Extensions.Options;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Config section <c>Inspection:Face</c>: the face detector and the composition rules of the
/// standard. Pixel limits are for the standard's 480x640 photo.
/// </summary>
public sealed class FaceOptions
{
    public const string Section = "Inspection:Face";

    /// <summary>Folder with the two BlazeFace .onnx files; empty = <c>models/</c> beside the executable, where the build puts them. A relative path is taken from the executable's folder.</summary>
    public string ModelDirectory { get; set; } = "";

    /// <summary>Threads one inference may use. 1 keeps each photo on one core, so two photos run side by side on two.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Minimum face score (after the sigmoid) for a detection to count.</summary>
    public double ScoreThreshold { get; set; } = 0.5;

    /// <summary>Detections that overlap more than this (intersection over union) are merged into one, weighted by score.</summary>
    public double NmsThreshold { get; set; } = 0.3;

    /// <summary>Run the 128 model again on a crop around each face: landmarks move by a few pixels, closer to the truth.</summary>
    public bool RefineLandmarks { get; set; } = true;

    /// <summary>Also run the 256 model over the whole photo to find small extra faces (a person in the background, a photo in the photo).</summary>
    public bool FindSmallFaces { get; set; } = true;

    /// <summary>Minimum score of a small extra face from the 256 model.</summary>
    public double SmallFaceScoreThreshold { get; set; } = 0.5;

    /// <summary>Top of the head (hairline), pixels from the top edge: standard 50–110.</summary>
    public int HeadTopMinPx { get; set; } = 50;
    public int HeadTopMaxPx { get; set; } = 110;

    /// <summary>Eye line, pixels from the top edge: standard 200–300.</summary>
    public int EyeLineMinPx { get; set; } = 200;
    public int EyeLineMaxPx { get; set; } = 300;

    /// <summary>Face width (ear tragion to ear tragion, close to cheek to cheek): standard 180–300.</summary>
    public int FaceWidthMinPx { get; set; } = 180;
    public int FaceWidthMaxPx { get; set; } = 300;

    /// <summary>How far the head's centre may sit from the photo's vertical centre line, in pixels (24 = 5% of 480).</summary>
    public int CentreTolerancePx { get; set; } = 24;

    /// <summary>
    /// A position or size outside its band by no more than this is flagged for review instead of
    /// rejected: the landmarks are good to a few pixels, so a student 2 px outside may well be inside.
    /// </summary>
    public int MarginalPx { get; set; } = 8;

    /// <summary>Glasses: share of the columns under each eye crossed by a dark frame-like arc, at or above which the studio is asked to look.</summary>
    public double GlassesArcMin { get; set; } = 0.3;

    /// <summary>Glasses: share of the columns over the bridge of the nose crossed by a thin dark line (a frame's bridge); both this and <see cref="GlassesArcMin"/> must be reached.</summary>
    public double GlassesBridgeMin { get; set; } = 0.5;

    /// <summary>
    /// Eyes closed: share of a box around each eye that is eye-white (far less coloured than the skin, not dark),
    /// below which the studio is asked to look (either eye). Open eyes on the real calibration photos: 0.9% and
    /// more (neutral), 0.6% and more (broad smiles narrow the eyes), 0.5% and more re-saved, dimmed or tilted;
    /// shut lids painted over the same eyes: 0.
    /// </summary>
    public double EyeWhiteMin { get; set; } = 0.002;

    /// <summary>Teeth showing: teeth-like pixels on the lip line per d² (d = eye distance), at or above which the studio is asked to look. The largest block of teeth-like pixels on the lip line per d²: real closed lips (grey stubble included) at most 0.0004, a thin row of teeth 0.0013, a broad smile 0.004–0.07.</summary>
    public double TeethMin { get; set; } = 0.001;

    /// <summary>Parted lips: height of the grey band between the lips per d (median across the middle of the mouth), at or above which the studio is asked to look. Real closed lips and neutral mouths: 0; lips parted over a sliver of teeth: 0.028 and more.</summary>
    public double LipGapMin { get; set; } = 0.014;

    /// <summary>Hair over brows and eyes: share of hair-dark pixels from the brow down to the eye, above which the studio is asked to look.</summary>
    public double HairCoverMax { get; set; } = 0.6;

    /// <summary>Hair over the ears: share of hair-dark pixels beside and below an ear (lobe to jaw), above which the studio is asked to look.</summary>
    public double EarCoverMax { get; set; } = 0.7;

    /// <summary>Largest tilt of the eye line; the landmarks are good to about ±3°, so 8° only catches a real tilt.</summary>
    public double MaxRollDegrees { get; set; } = 8;

    /// <summary>Largest head turn estimated from nose-to-ear symmetry (an approximation good to a few degrees).</summary>
    public double MaxYawDegrees { get; set; } = 12;

    /// <summary>Largest tilt of the shoulder line read from the silhouette before the studio is asked to look (the standard only says "level").</summary>
    public double MaxShoulderTiltDegrees { get; set; } = 6;

    /// <summary>
    /// Eye distance divided by the eye-to-mouth distance; outside this range the photo looks stretched
    /// or squeezed. A second signal beside the aspect-ratio check, and a weak one: BlazeFace pulls its
    /// keypoints towards an average face: on drawn faces the ratio is 0.93–0.96, a 1.35x sideways
    /// stretch moves it only to about 1.04, 1.7x to 1.10, a 0.65x squeeze to 0.82. The defaults
    /// catch about 1.6x and 0.65x; calibrate on real photos before narrowing them.
    /// </summary>
    public double ProportionMin { get; set; } = 0.84;
    public double ProportionMax { get; set; } = 1.06;
}

public sealed class FaceOptionsValidator : IValidateOptions<FaceOptions>
{
    public ValidateOptionsResult Validate(string? name, FaceOptions o)
    {
        var errors = new List<string>();
        const string s = FaceOptions.Section;

        if (!string.IsNullOrWhiteSpace(o.ModelDirectory) && o.ModelDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            errors.Add($"{s}:ModelDirectory = '{o.ModelDirectory}' is not a valid path; allowed: empty (models/ beside the executable) or a folder holding {BlazeFaceModelFiles.FrontFileName} and {BlazeFaceModelFiles.BackFileName}.");
        if (o.Threads is < 1 or > 64)
            errors.Add($"{s}:Threads = {o.Threads} is out of range; allowed: 1 to 64 (default 1).");
        if (o.ScoreThreshold is <= 0 or >= 1 || double.IsNaN(o.ScoreThreshold))
            errors.Add($"{s}:ScoreThreshold = {o.ScoreThreshold} is out of range; allowed: more than 0 and less than 1 (default 0.5).");
        if (o.SmallFaceScoreThreshold is <= 0 or >= 1 || double.IsNaN(o.SmallFaceScoreThreshold))
            errors.Add($"{s}:SmallFaceScoreThreshold = {o.SmallFaceScoreThreshold} is out of range; allowed: more than 0 and less than 1 (default 0.5).");
        if (o.NmsThreshold is <= 0 or >= 1 || double.IsNaN(o.NmsThreshold))
            errors.Add($"{s}:NmsThreshold = {o.NmsThreshold} is out of range; allowed: more than 0 and less than 1 (default 0.3).");

        Band(errors, "HeadTop", o.HeadTopMinPx, o.HeadTopMaxPx, 640, "50 and 110");
        Band(errors, "EyeLine", o.EyeLineMinPx, o.EyeLineMaxPx, 640, "200 and 300");
        Band(errors, "FaceWidth", o.FaceWidthMinPx, o.FaceWidthMaxPx, 480, "180 and 300");

        foreach (var (key, value) in new[] { ("GlassesArcMin", o.GlassesArcMin), ("GlassesBridgeMin", o.GlassesBridgeMin), ("EyeWhiteMin", o.EyeWhiteMin), ("TeethMin", o.TeethMin), ("LipGapMin", o.LipGapMin), ("HairCoverMax", o.HairCoverMax), ("EarCoverMax", o.EarCoverMax) })
            if (value is < 0 or > 1 || double.IsNaN(value))
                errors.Add($"{s}:{key} = {value} is out of range; allowed: 0 to 1 (a share).");
        if (o.MarginalPx is < 0 or > 50)
            errors.Add($"{s}:MarginalPx = {o.MarginalPx} is out of range; allowed: 0 to 50 (default 8).");
        if (o.CentreTolerancePx is < 0 or > 240)
            errors.Add($"{s}:CentreTolerancePx = {o.CentreTolerancePx} is out of range; allowed: 0 to 240 (default 24).");
        if (o.MaxRollDegrees is <= 0 or > 45 || double.IsNaN(o.MaxRollDegrees))
            errors.Add($"{s}:MaxRollDegrees = {o.MaxRollDegrees} is out of range; allowed: more than 0 and at most 45 (default 8).");
        if (o.MaxYawDegrees is <= 0 or > 60 || double.IsNaN(o.MaxYawDegrees))
            errors.Add($"{s}:MaxYawDegrees = {o.MaxYawDegrees} is out of range; allowed: more than 0 and at most 60 (default 12).");
        if (o.MaxShoulderTiltDegrees is <= 0 or > 45 || double.IsNaN(o.MaxShoulderTiltDegrees))
            errors.Add($"{s}:MaxShoulderTiltDegrees = {o.MaxShoulderTiltDegrees} is out of range; allowed: more than 0 and at most 45 (default 6).");
        if (o.ProportionMin <= 0 || o.ProportionMax <= o.ProportionMin || double.IsNaN(o.ProportionMin) || double.IsNaN(o.ProportionMax))
            errors.Add($"{s}:ProportionMin = {o.ProportionMin} and {s}:ProportionMax = {o.ProportionMax} do not form a range; allowed: 0 < min < max (defaults 0.84 and 1.06).");

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        static void Band(List<string> errors, string key, int min, int max, int limit, string defaults)
        {
            if (min < 0 || max > limit || min >= max)
                errors.Add($"{s}:{key}MinPx = {min} and {s}:{key}MaxPx = {max} do not form a band; allowed: 0 <= min < max <= {limit} (defaults {defaults}).");
        }
    }
}
