namespace CollectionWorker.Inspection.Checks;

/// <summary>
/// Anything on the plain backdrop: separate regions that are not the person (objects, other
/// people, text) and edges inside the backdrop (watermarks, lines). Measured as a share of the
/// backdrop above the shoulders.
/// </summary>
public sealed class ClutterCheck : IPhotoCheck
{
    public const string Code = "BG_CLUTTER";

    public int Order => 140;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Code, Severity.Review, "背景上有其他物体、文字、水印或其他人，请使用干净的纯色背景重拍。",
            "The background holds objects, text, a watermark or another person; reshoot on a clean plain backdrop."),
    ];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var bg = photo.Background;
        if (!bg.Found || bg.PlainArea == 0) return;
        var s = photo.Silhouette;
        var g = photo.Patches;
        var edge = photo.Options.Background.ClutterEdgeStdDev;
        var marked = new List<int>();
        // Rows run in order, so the patches above the shoulders are the first ShoulderRow x Cols; islands are
        // rare, and IndexOf strides over the rest a vector at a time.
        var above = s.IsIsland.AsSpan(0, Math.Clamp(s.ShoulderRow * g.Cols, 0, s.IsIsland.Length));
        for (int from = 0, i; (i = above[from..].IndexOf(true)) >= 0; from += i + 1)
            marked.Add(from + i);
        foreach (var p in bg.Sample)
            if (g.LumaStdDev[p] > edge) marked.Add(p);
        var percent = 100.0 * marked.Count / bg.PlainArea;
        var limit = photo.Options.Background.MaxClutterPercent;
        photo.Evidence.Note($"BG CLUTTER {Format.N(percent, "0.00")}%");
        if (percent > limit)
        {
            photo.Evidence.Mark(marked, Rgb.Red);
            findings.Add(Code, $"{Format.N(percent, "0.00")}% of the plain background has edges or objects", $"≤ {Format.N(limit, "0.00")}%");
        }
    }
}
