using System.Buffers;
using System.Runtime.InteropServices;

namespace CollectionWorker.Inspection;

/// <summary>
/// One decoded photo and everything measured about it that more than one check needs: the
/// pixels, the patch grid, the silhouette and backdrop statistics, and the standard's regions
/// scaled to this photo. Checks read it and add evidence; it is built once per inspection.
/// Built with an <see cref="AnalysisBufferPool"/>, its arrays are the pool's: whoever creates it disposes it
/// once the last check and the evidence are done, and nothing read from it may outlive that.
/// </summary>
public sealed class PhotoAnalysis : IDisposable
{
    private readonly AnalysisBufferPool? _pool;
    private AnalysisBuffers? _buffers;

    /// <summary>With arrays of its own (disposing it is then not needed).</summary>
    public PhotoAnalysis(int width, int height, byte[] rgb, InspectionOptions options)
        : this(width, height, rgb, options, pool: null) { }

    /// <summary>With arrays rented from <paramref name="pool"/> (when not null), returned to it on <see cref="Dispose"/>.</summary>
    public PhotoAnalysis(int width, int height, byte[] rgb, InspectionOptions options, AnalysisBufferPool? pool)
    {
        if (rgb.Length < width * height * 3) throw new ArgumentException("pixel buffer is smaller than the size", nameof(rgb));
        Width = width;
        Height = height;
        Rgb = rgb;
        Options = options;
        var shape = PatchGrid.Shape.Of(width, height);
        var buffers = pool?.Rent(shape) ?? new AnalysisBuffers(shape);
        Patches = new PatchGrid(width, height, rgb, vector: true, buffers);
        Silhouette = new Silhouette(Patches, buffers);
        Background = new BackgroundSample(Silhouette, options.Background, buffers);
        (_pool, _buffers) = (pool, buffers);

        var cx = Silhouette.HeadCentreX;
        FaceRegion = PixelRect.FromEdges((int)(cx - 0.11f * width), (int)(0.36f * height),
            (int)(cx + 0.11f * width), (int)(0.58f * height), width, height);
        HeadRegion = PixelRect.FromEdges((int)(cx - 0.2f * width), (int)(0.12f * height),
            (int)(cx + 0.2f * width), (int)(0.62f * height), width, height);
        ChestBand = PixelRect.FromEdges((int)(0.03f * width), (int)(0.86f * height),
            (int)(0.97f * width), (int)(0.97f * height), width, height);
    }

    /// <summary>Hands the arrays back to the pool they came from; the grid, silhouette and sample must not be read after.</summary>
    public void Dispose()
    {
        if (_pool is not null && _buffers is not null) _pool.Return(_buffers);
        _buffers = null;
    }

    public int Width { get; }
    public int Height { get; }
    /// <summary>Interleaved 8-bit RGB, row by row, upright (EXIF orientation applied); may be longer than Width x Height x 3 (pooled).</summary>
    public byte[] Rgb { get; }
    public InspectionOptions Options { get; }
    public PatchGrid Patches { get; }
    public Silhouette Silhouette { get; }
    public BackgroundSample Background { get; }
    public Evidence Evidence { get; } = new();

    /// <summary>Image pixels per pixel of the standard's 480x640 frame (the guide bands are drawn with it).</summary>
    public float Scale => Height / (float)Options.File.Height;

    /// <summary>
    /// Where the face is expected: the standard's eye-to-chin band, centred on the head's outline.
    /// A face detector running before the light checks may replace it with the detected face.
    /// </summary>
    public PixelRect FaceRegion { get; set; }
    /// <summary>Hair, face and their outline: where sharpness is measured.</summary>
    public PixelRect HeadRegion { get; set; }
    /// <summary>The band across the chest, below the neck: where clothing is measured.</summary>
    public PixelRect ChestBand { get; set; }
}

/// <summary>
/// The backdrop as sampled from the silhouette: patches above the shoulders, clear of the outline,
/// their median colour and its nearest allowed reference.
/// </summary>
public sealed class BackgroundSample
{
    /// <summary>Patches this close to the outline (hair wisps, anti-aliasing) are not sampled.</summary>
    public const int OutlineMargin = 3;
    /// <summary>Patches at least this far from the outline are out of reach of a shadow.</summary>
    public const int FarFromOutline = 8;

    /// <summary>Into the sample lists of <paramref name="buffers"/>, which it clears.</summary>
    internal BackgroundSample(Silhouette s, BackgroundLimits limits, AnalysisBuffers buffers)
    {
        var g = s.Grid;
        var plain = Math.Min(s.IsBackground.Length, s.ShoulderRow * g.Cols);
        // Both lists written once into a pooled buffer, then copied into the buffers' lists (no regrowth once they have grown).
        var buffer = ArrayPool<int>.Shared.Rent(2 * Math.Max(1, plain));
        try
        {
            int sampled = 0, far = 0;
            var farFrom = plain;
            var (isBackground, distance) = (s.IsBackground, s.Distance);
            for (var p = 0; p < plain; p++)
            {
                if (!isBackground[p]) continue;
                var d = distance[p];
                if (d >= OutlineMargin) buffer[sampled++] = p;
                if (d >= FarFromOutline) buffer[farFrom + far++] = p;
            }
            PlainArea = MemoryMarshal.Cast<bool, byte>(s.IsSubject.AsSpan(0, plain)).Count((byte)0); // not the person: false
            Sample = buffers.Sample;
            Sample.Clear();
            Sample.AddRange(buffer.AsSpan(0, sampled));
            Far = buffers.Far;
            Far.Clear();
            Far.AddRange(buffer.AsSpan(farFrom, far));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }

        Found = Sample.Count >= 40;
        Median = Sample.Count > 0 ? Stats.MedianColor(g.Color, Sample) : Stats.MedianColor(g.Color, Enumerable.Range(0, g.Cols * 2).ToList());

        Nearest = limits.AllowedColors[0];
        DeltaE = double.MaxValue;
        foreach (var reference in limits.AllowedColors)
        {
            var d = Lab.DeltaE2000(Median, Lab.FromRgb(reference.R, reference.G, reference.B));
            if (d < DeltaE) (DeltaE, Nearest) = (d, reference);
        }
    }

    /// <summary>Enough plain backdrop was visible to judge it.</summary>
    public bool Found { get; }
    public List<int> Sample { get; }
    public List<int> Far { get; }
    /// <summary>Patches above the shoulders that are not the person (backdrop and anything on it).</summary>
    public int PlainArea { get; }
    public Lab Median { get; }
    public BackgroundReference Nearest { get; }
    public Lab NearestLab => Lab.FromRgb(Nearest.R, Nearest.G, Nearest.B);
    /// <summary>CIEDE2000 from <see cref="Median"/> to <see cref="Nearest"/>.</summary>
    public double DeltaE { get; }
}
