namespace CollectionWorker.Inspection;

/// <summary>
/// What the checks want a person to see on the annotated image: outlined regions, marked
/// patches and labelled values. Checks add to it; <see cref="EvidenceRenderer"/> draws it.
/// </summary>
public sealed class Evidence
{
    public List<(PixelRect Rect, Rgb Color, string Label)> Regions { get; } = [];
    public List<(IReadOnlyList<int> Patches, Rgb Color)> Patches { get; } = [];
    /// <summary>Lines for the panel beside the photo (measured values of checks that found nothing, too).</summary>
    public List<string> Notes { get; } = [];

    public void Region(PixelRect rect, Rgb color, string label) => Regions.Add((rect, color, label));
    public void Mark(IReadOnlyList<int> patches, Rgb color) => Patches.Add((patches, color));
    public void Note(string text) => Notes.Add(text);
}

public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static readonly Rgb Red = new(230, 30, 30);
    public static readonly Rgb Orange = new(255, 150, 0);
    public static readonly Rgb Yellow = new(255, 230, 0);
    public static readonly Rgb Green = new(0, 200, 60);
    public static readonly Rgb Cyan = new(0, 220, 230);
    public static readonly Rgb Magenta = new(230, 0, 200);
    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Black = new(0, 0, 0);
    public static readonly Rgb Gray = new(128, 128, 128);
}
