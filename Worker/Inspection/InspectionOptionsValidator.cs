using Microsoft.Extensions.Options;

namespace CollectionWorker.Inspection;

/// <summary>Refuses impossible limits and unknown policy entries, each message naming the key, the value and what is allowed.</summary>
public sealed class InspectionOptionsValidator(IEnumerable<IPhotoCheck> checks) : IValidateOptions<InspectionOptions>
{
    public ValidateOptionsResult Validate(string? name, InspectionOptions o)
    {
        var errors = new List<string>();
        const string s = InspectionOptions.Section;

        void Range(string key, double value, double min, double max, double standard)
        {
            if (double.IsNaN(value) || value < min || value > max)
                errors.Add($"{s}:{key} = {value} is out of range; allowed: {min} to {max} (default {standard}).");
        }

        Range("Parallelism", o.Parallelism, 0, 256, 0);

        var f = o.File;
        Range("File:Width", f.Width, 16, 10000, 480);
        Range("File:Height", f.Height, 16, 10000, 640);
        Range("File:AspectTolerance", f.AspectTolerance, 0, 0.2, 0.01);
        Range("File:MinQuality", f.MinQuality, 1, 100, 60);
        Range("File:TypicalMinKilobytes", f.TypicalMinKilobytes, 0, 100000, 20);
        Range("File:TypicalMaxKilobytes", f.TypicalMaxKilobytes, 1, 100000, 40);
        if (f.TypicalMaxKilobytes < f.TypicalMinKilobytes)
            errors.Add($"{s}:File:TypicalMaxKilobytes = {f.TypicalMaxKilobytes} is below {s}:File:TypicalMinKilobytes = {f.TypicalMinKilobytes}; the range must not be empty.");
        Range("File:Dpi", f.Dpi, 1, 10000, 300);
        Range("File:MaxFileMegabytes", f.MaxFileMegabytes, 1, 500, 10);
        Range("File:MaxMegapixels", f.MaxMegapixels, 1, 200, 24);
        Range("File:MinColorChroma", f.MinColorChroma, 0, 50, 4);
        if ((long)f.Width * f.Height > f.MaxMegapixels * 1_000_000L)
            errors.Add($"{s}:File:MaxMegapixels = {f.MaxMegapixels} is smaller than the required photo ({f.Width}x{f.Height}); raise it.");

        var b = o.Background;
        Range("Background:MaxDeltaE", b.MaxDeltaE, 0.5, 100, 15);
        Range("Background:MaxSpread", b.MaxSpread, 0.5, 100, 7);
        Range("Background:MaxGradient", b.MaxGradient, 0.5, 100, 14);
        Range("Background:MaxShadow", b.MaxShadow, 0.5, 100, 7);
        Range("Background:MaxClutterPercent", b.MaxClutterPercent, 0, 100, 0.6);
        Range("Background:ClutterEdgeStdDev", b.ClutterEdgeStdDev, 1, 128, 9);
        Range("Background:MaxCast", b.MaxCast, 0.5, 100, 12);
        if (b.References is { Count: 0 })
            errors.Add($"{s}:Background:References is empty; list at least one {{ \"Name\", \"NameZh\", \"R\", \"G\", \"B\" }} or remove the key to use the standard's three.");
        for (var i = 0; i < (b.References?.Count ?? 0); i++)
        {
            var r = b.References![i];
            if (string.IsNullOrWhiteSpace(r.Name))
                errors.Add($"{s}:Background:References:{i}:Name is empty; name the colour (e.g. 'light blue').");
            foreach (var (channel, v) in new[] { ("R", r.R), ("G", r.G), ("B", r.B) })
                if (v is < 0 or > 255)
                    errors.Add($"{s}:Background:References:{i}:{channel} = {v} is out of range; allowed: 0 to 255.");
        }

        var l = o.Light;
        Range("Light:MinFaceLightness", l.MinFaceLightness, 0, 100, 22);
        Range("Light:MaxBackdropDarkening", l.MaxBackdropDarkening, 0, 100, 13);
        Range("Light:MaxFaceLightness", l.MaxFaceLightness, 0, 100, 88);
        if (l.MaxFaceLightness <= l.MinFaceLightness)
            errors.Add($"{s}:Light:MaxFaceLightness = {l.MaxFaceLightness} is not above {s}:Light:MinFaceLightness = {l.MinFaceLightness}.");
        Range("Light:MaxClippedPercent", l.MaxClippedPercent, 0, 100, 8);
        Range("Light:MinSkinHue", l.MinSkinHue, -90, 180, 20);
        Range("Light:MaxSkinHue", l.MaxSkinHue, -90, 180, 85);
        if (l.MaxSkinHue <= l.MinSkinHue)
            errors.Add($"{s}:Light:MaxSkinHue = {l.MaxSkinHue} is not above {s}:Light:MinSkinHue = {l.MinSkinHue}.");
        Range("Light:MinSharpness", l.MinSharpness, 0, 10000, 20);
        Range("Light:MaxLeftRightDifference", l.MaxLeftRightDifference, 0.5, 100, 16);

        var c = o.Clothing;
        Range("Clothing:MinDeltaEFromBackground", c.MinDeltaEFromBackground, 0.5, 100, 12);
        Range("Clothing:MaxBackgroundLikePercent", c.MaxBackgroundLikePercent, 0, 100, 50);
        Range("Clothing:MaxBluePercent", c.MaxBluePercent, 0, 100, 40);
        Range("Clothing:BlueMinChroma", c.BlueMinChroma, 0, 150, 14);
        Range("Clothing:MaxStripesPer100Px", c.MaxStripesPer100Px, 0, 100, 6);

        var known = PhotoInspector.AllDefinitions(checks).Select(d => d.Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, severity) in o.Severity)
        {
            if (!known.Contains(code))
                errors.Add($"{s}:Severity:{code} names no finding code; known codes: {string.Join(", ", known.Order())}.");
            else if (!SeverityNames.TryParse(severity, out _))
                errors.Add($"{s}:Severity:{code} = '{severity}' is not a severity; allowed: reject, review, info, off.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
