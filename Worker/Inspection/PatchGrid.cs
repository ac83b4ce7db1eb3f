namespace CollectionWorker.Inspection;

/// <summary>
/// The photo averaged into small square patches (4x4 px at 480x640): mean CIELAB colour and
/// luma spread per patch. Averaging removes JPEG noise, and the per-patch spread shows edges;
/// most checks work on these ~19,000 patches instead of 300,000 pixels.
/// </summary>
public sealed class PatchGrid
{
    public PatchGrid(int width, int height, byte[] rgb, byte[] luma)
    {
        Size = Math.Max(2, (int)Math.Round(Math.Min(width, height) / 120.0));
        Cols = (width + Size - 1) / Size;
        Rows = (height + Size - 1) / Size;
        var n = Cols * Rows;
        Color = new Lab[n];
        LumaStdDev = new float[n];
        LumaMean = new float[n];

        var sumR = new float[Cols];
        var sumG = new float[Cols];
        var sumB = new float[Cols];
        var sumY = new float[Cols];
        var sumY2 = new float[Cols];
        var count = new int[Cols];
        for (var pr = 0; pr < Rows; pr++)
        {
            Array.Clear(sumR); Array.Clear(sumG); Array.Clear(sumB); Array.Clear(sumY); Array.Clear(sumY2); Array.Clear(count);
            var y1 = Math.Min(height, (pr + 1) * Size);
            for (var y = pr * Size; y < y1; y++)
            {
                var o = y * width;
                for (var x = 0; x < width; x++)
                {
                    var c = x / Size;
                    var i = (o + x) * 3;
                    sumR[c] += rgb[i];
                    sumG[c] += rgb[i + 1];
                    sumB[c] += rgb[i + 2];
                    float l = luma[o + x];
                    sumY[c] += l;
                    sumY2[c] += l * l;
                    count[c]++;
                }
            }
            for (var c = 0; c < Cols; c++)
            {
                var k = count[c];
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

    public int Index(int col, int row) => row * Cols + col;

    /// <summary>The patch's centre in pixels.</summary>
    public (float X, float Y) Centre(int index) => ((index % Cols + 0.5f) * Size, (index / Cols + 0.5f) * Size);
}
