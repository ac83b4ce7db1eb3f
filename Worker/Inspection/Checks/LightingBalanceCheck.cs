namespace CollectionWorker.Inspection.Checks;

/// <summary>Uneven light on the face: the left and right cheek regions' median lightness (below the eyes, where hair rarely falls).</summary>
public sealed class LightingBalanceCheck : IPhotoCheck
{
    public const string Code = "LIGHT_UNEVEN";

    public int Order => 230;

    public IReadOnlyList<FindingDefinition> Definitions { get; } =
    [
        new(Code, Severity.Review, "面部光线不均匀（一侧明显偏暗），请使用正面均匀照明重拍。",
            "The light on the face is uneven (one side clearly darker); reshoot with even frontal light."),
    ];

    public void Run(PhotoAnalysis photo, FindingSink findings)
    {
        var f = photo.FaceRegion;
        if (f.IsEmpty) return;
        var s = photo.Silhouette;
        var g = photo.Patches;
        var top = f.Y + (int)(f.Height * 0.35);
        var bottom = f.Y + (int)(f.Height * 0.9);
        var mid = f.X + f.Width / 2;
        var gap = f.Width / 10;
        var left = PixelRect.FromEdges(f.X, top, mid - gap, bottom, photo.Width, photo.Height);
        var right = PixelRect.FromEdges(mid + gap, top, f.Right, bottom, photo.Width, photo.Height);
        float? Median(PixelRect r)
        {
            // The person's patches in the half, row by row, on the stack (a cheek is a few hundred patches).
            var block = new PatchBlock(g, r);
            var l = block.Count <= 2048 ? stackalloc float[block.Count] : new float[block.Count];
            var n = 0;
            foreach (var p in block)
                if (s.IsSubject[p]) l[n++] = g.Color[p].L;
            return n >= 10 ? Stats.Median(l[..n]) : null;
        }
        if (Median(left) is not { } ll || Median(right) is not { } rl) return;
        var difference = Math.Abs(ll - rl);
        var limit = photo.Options.Light.MaxLeftRightDifference;
        photo.Evidence.Note($"CHEEKS L {Format.N(ll, "0")} / {Format.N(rl, "0")}");
        if (difference > limit)
        {
            photo.Evidence.Region(ll < rl ? left : right, Rgb.Orange, "DARK SIDE");
            findings.Add(Code, $"ΔL* {Format.N(difference)} between the cheeks ({(ll < rl ? "left" : "right")} darker)", $"≤ {Format.N(limit)}");
        }
    }
}
