using System.Buffers;
using System.Numerics;

namespace CollectionWorker.Inspection;

/// <summary>
/// The photo averaged into small square patches (4x4 px at 480x640): mean CIELAB colour and
/// luma spread per patch. Averaging removes JPEG noise, and the per-patch spread shows edges;
/// most checks work on these ~19,000 patches instead of 300,000 pixels.
/// </summary>
public sealed class PatchGrid
{
    /// <summary>
    /// Averages the photo into patches. Every other pixel of every other row is read (a quarter of
    /// the patch, spread over it): enough for its mean colour and for telling an edge from noise, at
    /// a quarter of the cost of the one pass over the image that dominated the inspection's own time.
    /// </summary>
    public PatchGrid(int width, int height, byte[] rgb) : this(width, height, rgb, vector: true) { }

    /// <summary>With <paramref name="vector"/> false, every step on the scalar path (the tests compare both).</summary>
    internal PatchGrid(int width, int height, byte[] rgb, bool vector) : this(width, height, rgb, vector, new AnalysisBuffers(Shape.Of(width, height))) { }

    /// <summary>Into <paramref name="buffers"/> (of this photo's shape), which it overwrites.</summary>
    internal PatchGrid(int width, int height, byte[] rgb, bool vector, AnalysisBuffers buffers)
    {
        var shape = Shape.Of(width, height);
        if (buffers.Shape != shape) throw new ArgumentException($"buffers for {buffers.Shape}, the photo needs {shape}", nameof(buffers));
        (Size, Cols, Rows) = shape;
        Color = buffers.Color;
        LumaStdDev = buffers.LumaStdDev;
        LumaMean = buffers.LumaMean;
        // Column and row of every patch, so hot loops never divide by Cols (an integer division per step was
        // a third of the silhouette's cost); filled once per shape by the buffers.
        ColOf = buffers.ColOf;
        RowOf = buffers.RowOf;

        // One patch row at a time, start to finish: its sums and planes stay in the first-level cache.
        var sums = ArrayPool<int>.Shared.Rent(PatchSums.Planes * Cols);
        var planes = ArrayPool<float>.Shared.Rent(3 * Cols);
        try
        {
            // Four pixels read in every patch: the 4x4 patches of a frame whose sides are multiples of 4 (480x640).
            var everyPatchOfFour = Size == 4 && width % 4 == 0 && height % 4 == 0;
            for (var pr = 0; pr < Rows; pr++)
            {
                var row = sums.AsSpan(0, PatchSums.Planes * Cols);
                PatchSums.MeasureRow(width, height, rgb, Size, Cols, pr, row, vector);
                Means(row, pr * Cols, vector, everyPatchOfFour, planes);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sums);
            ArrayPool<float>.Shared.Return(planes);
        }
    }

    /// <summary>
    /// Mean colour (CIELAB), mean luma and luma spread of one patch row from its sums, into the patches from
    /// <paramref name="first"/> on. The vector path does the scalar path's float operations in the same order,
    /// lane by lane: the same numbers to the bit.
    /// </summary>
    private void Means(Span<int> sums, int first, bool vector, bool everyPatchOfFour, float[] planes)
    {
        var n = Cols;
        var sumR = sums[..n];
        var sumG = sums.Slice(n, n);
        var sumB = sums.Slice(2 * n, n);
        var sumY = sums.Slice(3 * n, n);
        var sumY2 = sums.Slice(4 * n, n);
        var count = sums.Slice(5 * n, n);
        var color = Color.AsSpan(first, n);
        var lumaMean = LumaMean.AsSpan(first, n);
        var lumaStdDev = LumaStdDev.AsSpan(first, n);
        if (!(vector && Vector.IsHardwareAccelerated))
        {
            for (var p = 0; p < n; p++)
            {
                float k = count[p];
                color[p] = ColorSpace.ToLab(sumR[p] / k, sumG[p] / k, sumB[p] / k);
                var mean = sumY[p] / k;
                lumaMean[p] = mean;
                lumaStdDev[p] = MathF.Sqrt(MathF.Max(0, sumY2[p] / k - mean * mean));
            }
            return;
        }

        var lanes = Vector<float>.Count;
        var q = 0;
        for (; q + lanes <= n; q += lanes)
        {
            var k = Vector.ConvertToSingle(new Vector<int>(count[q..]));
            var mean = Vector.ConvertToSingle(new Vector<int>(sumY[q..])) / k;
            mean.CopyTo(lumaMean[q..]);
            Vector.SquareRoot(Vector.Max(Vector<float>.Zero, Vector.ConvertToSingle(new Vector<int>(sumY2[q..])) / k - mean * mean)).CopyTo(lumaStdDev[q..]);
        }
        for (; q < n; q++)
        {
            float k = count[q];
            var mean = sumY[q] / k;
            lumaMean[q] = mean;
            lumaStdDev[q] = MathF.Sqrt(MathF.Max(0, sumY2[q] / k - mean * mean));
        }

        var r = planes.AsSpan(0, n);
        var g = planes.AsSpan(n, n);
        var b = planes.AsSpan(2 * n, n);
        if (everyPatchOfFour)
        {
            ColorSpace.LinearFromSumsOfFour(sumR, r);
            ColorSpace.LinearFromSumsOfFour(sumG, g);
            ColorSpace.LinearFromSumsOfFour(sumB, b);
        }
        else
        {
            for (q = 0; q + lanes <= n; q += lanes)
            {
                var k = Vector.ConvertToSingle(new Vector<int>(count[q..]));
                (Vector.ConvertToSingle(new Vector<int>(sumR[q..])) / k).CopyTo(r[q..]);
                (Vector.ConvertToSingle(new Vector<int>(sumG[q..])) / k).CopyTo(g[q..]);
                (Vector.ConvertToSingle(new Vector<int>(sumB[q..])) / k).CopyTo(b[q..]);
            }
            for (; q < n; q++)
            {
                float k = count[q];
                (r[q], g[q], b[q]) = (sumR[q] / k, sumG[q] / k, sumB[q] / k);
            }
            // The luma sums are read; their plane is scratch.
            ColorSpace.Linearise(r, sumY);
            ColorSpace.Linearise(g, sumY);
            ColorSpace.Linearise(b, sumY);
        }
        // The colour sums are read too: their three planes are the conversion's scratch.
        ColorSpace.LinearToLab(r, g, b, sums[..(3 * n)], color);
    }

    /// <summary>Patch side in pixels, columns and rows of the grid over a photo.</summary>
    public readonly record struct Shape(int Size, int Cols, int Rows)
    {
        public static Shape Of(int width, int height)
        {
            var size = Math.Max(2, (int)Math.Round(Math.Min(width, height) / 120.0));
            return new Shape(size, (width + size - 1) / size, (height + size - 1) / size);
        }
    }

    /// <summary>Patch side in pixels.</summary>
    public int Size { get; }
    public int Cols { get; }
    public int Rows { get; }
    public Lab[] Color { get; }
    public float[] LumaMean { get; }
    public float[] LumaStdDev { get; }

    public short[] ColOf { get; }
    public short[] RowOf { get; }

    public int Index(int col, int row) => row * Cols + col;

    /// <summary>The patch's centre as a fraction of the frame's width and height (0–1).</summary>
    public (float X, float Y) Normalised(int index) => ((ColOf[index] + 0.5f) / Cols, (RowOf[index] + 0.5f) / Rows);

    /// <summary>The patch's centre in pixels.</summary>
    public (float X, float Y) Centre(int index) => ((ColOf[index] + 0.5f) * Size, (RowOf[index] + 0.5f) * Size);
}
