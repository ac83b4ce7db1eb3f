namespace CollectionWorker.Inspection.Checks;

/// <summary>The backdrop's colour against the allowed references, by CIEDE2000 on the sampled backdrop's median.</summary>
public sealed class BackgroundColorCheck : IPhotoCheck
{
    public const string Color = "BG_COLOR";
    public const string NotFound = "BG_NOT_FOUND";

    public int Order => 100;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Color, Severity.Reject, "背景颜色不符合要求：只能是浅蓝色、白色或浅灰色，请到照相馆重拍或更换背景。",
            "The background colour is not allowed: only light blue, white or light gray; reshoot or replace the background."),
        new(NotFound, Severity.Review, "看不到足够的纯色背景（人像过大或背景杂乱），请按标准构图重拍。",
            "Too little plain background is visible (subject too large or backdrop busy); reshoot with the standard framing."),
    ];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var bg = photo.Background;
        var limit = photo.Options.Background.MaxDeltaE;
        var m = bg.Median;
        photo.Evidence.Mark(bg.Sample, Rgb.Green);
        photo.Evidence.Note($"BG L{Format.N(m.L, "0")} a{Format.N(m.A, "0")} b{Format.N(m.B, "0")}: DE {Format.N(bg.DeltaE)} TO {bg.Nearest.Name}");
        if (!bg.Found)
        {
            findings.Add(NotFound, $"{bg.Sample.Count} background patches", "≥ 40");
            return;
        }
        if (bg.DeltaE > limit)
            findings.Add(Color, $"ΔE {Format.N(bg.DeltaE)} to {bg.Nearest.Name} (nearest allowed)", $"≤ {Format.N(limit)}");
    }
}
