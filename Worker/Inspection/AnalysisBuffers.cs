namespace CollectionWorker.Inspection;

/// <summary>
/// The arrays one photo's <see cref="PatchGrid"/>, <see cref="Silhouette"/> and <see cref="BackgroundSample"/>
/// fill, for one grid shape: about 600 KB at 480x640 (the colours alone are a large-object-heap array), which,
/// allocated anew for every photo, made long runs stop for gen-2 collections. Every array is exactly one entry
/// per patch, as the checks expect when they read a <c>.Length</c>. Each photo overwrites them completely;
/// only the patches' columns and rows, the same for every photo of the shape, are filled once.
/// </summary>
internal sealed class AnalysisBuffers
{
    public AnalysisBuffers(PatchGrid.Shape shape)
    {
        Shape = shape;
        var n = shape.Cols * shape.Rows;
        Color = new Lab[n];
        LumaMean = new float[n];
        LumaStdDev = new float[n];
        ColOf = new short[n];
        RowOf = new short[n];
        for (int r = 0, p = 0; r < shape.Rows; r++)
            for (var c = 0; c < shape.Cols; c++, p++)
            {
                ColOf[p] = (short)c;
                RowOf[p] = (short)r;
            }
        IsBackground = new bool[n];
        IsSubject = new bool[n];
        IsIsland = new bool[n];
        Distance = new int[n];
    }

    public PatchGrid.Shape Shape { get; }

    // The patch grid's.
    public Lab[] Color { get; }
    public float[] LumaMean { get; }
    public float[] LumaStdDev { get; }
    public short[] ColOf { get; }
    public short[] RowOf { get; }

    // The silhouette's.
    public bool[] IsBackground { get; }
    public bool[] IsSubject { get; }
    public bool[] IsIsland { get; }
    public int[] Distance { get; }

    // The backdrop sample's: cleared and refilled, their capacity kept.
    public List<int> Sample { get; } = [];
    public List<int> Far { get; } = [];
}
