namespace CollectionWorker.Inspection.Checks;

/// <summary>A lightness trend across the backdrop (top to bottom, left to right): the linear part of the backdrop's light.</summary>
public sealed class BackgroundGradientCheck : IPhotoCheck
{
    public const string Code = "BG_GRADIENT";

    public int Order => 120;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Code, Severity.Review, "背景有明显渐变（一边亮一边暗），请使用均匀照明的纯色背景。",
            "The background has a visible gradient (one side brighter); light the backdrop evenly."),
    ];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var bg = photo.Background;
        if (!bg.Found) return;
        // Far from the outline, so a shadow beside the person does not read as a trend.
        var patches = bg.Far.Count >= 60 ? bg.Far : bg.Sample;
        var g = photo.Patches;
        var fit = SurfaceFit.FitLightness(g, patches, quadratic: false, stride: 2);
        if (fit is null) return;
        var (acrossWidth, acrossHeight) = fit.Slopes;
        var vertical = Math.Abs(acrossHeight) >= Math.Abs(acrossWidth);
        var change = vertical ? acrossHeight : acrossWidth;
        var direction = vertical
            ? (change > 0 ? "brighter towards the bottom" : "darker towards the bottom")
            : (change > 0 ? "brighter towards the right" : "darker towards the right");
        var limit = photo.Options.Background.MaxGradient;
        photo.Evidence.Note($"BG TREND L {Format.N(acrossHeight)} TOP-BOTTOM, {Format.N(acrossWidth)} LEFT-RIGHT");
        if (Math.Abs(change) > limit)
            findings.Add(Code, $"ΔL* {Format.N(Math.Abs(change))} across the frame, {direction}", $"≤ {Format.N(limit)}");
    }
}
