using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    public PatchGrid(int width, int height, byte[] rgb)
    {
        Size = Math.Max(2, (int)Math.Round(Math.Min(width, height) / 120.0));
        Cols = (width + Size - 1) / Size;
        Rows = (height + Size - 1) / Size;
        var n = Cols * Rows;
        Color = new Lab[n];
        LumaStdDev = new float[n];
        LumaMean = new float[n];
        // Column and row of every patch, so hot loops never divide by Cols (an integer division per step was
        // a third of the silhouette's cost).
        ColOf = new short[n];
        RowOf = new short[n];
        for (var p = 0; p < n; p++)
        {
            ColOf[p] = (short)(p % Cols);
            RowOf[p] = (short)(p / Cols);
        }

        var sumR = new int[Cols];
        var sumG = new int[Cols];
        var sumB = new int[Cols];
        var sumY = new int[Cols];
        var sumY2 = new long[Cols];
        var count = new int[Cols];
        ref var src = ref MemoryMarshal.GetArrayDataReference(rgb);
        for (var pr = 0; pr < Rows; pr++)
        {
            Array.Clear(sumR); Array.Clear(sumG); Array.Clear(sumB); Array.Clear(sumY); Array.Clear(sumY2); Array.Clear(count);
            var y0 = pr * Size;
            var y1 = Math.Min(height, y0 + Size);
            for (var y = y0; y < y1; y += 2)
            {
                var x = 0;
                var rowStart = y * width * 3;
                for (var c = 0; c < Cols; c++)
                {
                    int r = 0, g = 0, b = 0, yy = 0, y2 = 0, taken = 0;
                    var x1 = Math.Min(width, x + Size);
                    for (; x < x1; x += 2)
                    {
                        var i = rowStart + x * 3;
                        int pr8 = Unsafe.Add(ref src, i), pg8 = Unsafe.Add(ref src, i + 1), pb8 = Unsafe.Add(ref src, i + 2);
                        var l = (77 * pr8 + 150 * pg8 + 29 * pb8 + 128) >> 8;
                        r += pr8; g += pg8; b += pb8; yy += l; y2 += l * l; taken++;
                    }
                    x = x1;
                    count[c] += taken;
                    sumR[c] += r; sumG[c] += g; sumB[c] += b; sumY[c] += yy; sumY2[c] += y2;
                }
            }
            for (var c = 0; c < Cols; c++)
            {
                float k = count[c];
                var p = pr * Cols + c;
                Color[p] = ColorSpace.ToLab(sumR[c] / k, sumG[c] / k, sumB[c] / k);
                var mean = sumY[c] / k;
                LumaMean[p] = mean;
                LumaStdDev[p] = MathF.Sqrt(MathF.Max(0, sumY2[c] / k - mean * mean));
            }
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
