namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Fills BlazeFace's input tensor (float32 NHWC, RGB scaled to [-1, 1]) from a square region of
/// the photo. Shrinking averages every source pixel under an output pixel (a 480x640 photo is
/// shrunk five times for the 128 model; point sampling would alias hair and eyelashes into noise);
/// enlarging a small crop interpolates bilinearly.
/// </summary>
public static class NetworkInput
{
    public static void Fill(RgbPixels image, SquareRegion region, int size, Span<float> tensor)
    {
        if (tensor.Length < size * size * 3)
            throw new ArgumentException($"A {size}x{size} input needs {size * size * 3} floats; got {tensor.Length}.", nameof(tensor));
        var step = region.Side / size;
        if (step > 1) FillByArea(image, region, size, step, tensor);
        else FillBilinear(image, region, size, step, tensor);
    }

    private static void FillByArea(RgbPixels image, SquareRegion region, int size, float step, Span<float> tensor)
    {
        int w = image.Width, h = image.Height;
        // Output cell i covers source columns and rows [edge[i], edge[i + 1]), possibly outside the photo.
        Span<int> xEdge = stackalloc int[size + 1];
        Span<int> yEdge = stackalloc int[size + 1];
        for (var i = 0; i <= size; i++)
        {
            xEdge[i] = (int)MathF.Round(region.Left + i * step);
            yEdge[i] = (int)MathF.Round(region.Top + i * step);
        }

        // Output column ox sums source columns [x0[ox], x1[ox]) (clipped to the photo): each source row is
        // summed run by run, with no per-pixel lookup or branch. Integer sums: the order does not matter.
        Span<int> x0 = stackalloc int[size];
        Span<int> x1 = stackalloc int[size];
        for (var ox = 0; ox < size; ox++)
        {
            x0[ox] = Math.Clamp(xEdge[ox], 0, w);
            x1[ox] = Math.Clamp(xEdge[ox + 1], x0[ox], w);
        }

        Span<int> sums = stackalloc int[size * 3];
        for (var oy = 0; oy < size; oy++)
        {
            sums.Clear();
            int ya = yEdge[oy], yb = Math.Max(yEdge[oy + 1], ya + 1);
            for (var y = Math.Max(ya, 0); y < Math.Min(yb, h); y++)
            {
                var row = image.Row(y);
                for (var ox = 0; ox < size; ox++)
                {
                    int r = 0, g = 0, b = 0;
                    for (int x = x0[ox], end = x1[ox]; x < end; x++)
                    {
                        r += row[x * 3];
                        g += row[x * 3 + 1];
                        b += row[x * 3 + 2];
                    }
                    sums[ox * 3] += r;
                    sums[ox * 3 + 1] += g;
                    sums[ox * 3 + 2] += b;
                }
            }

            var rows = yb - ya;
            var outRow = tensor.Slice(oy * size * 3, size * 3);
            for (var ox = 0; ox < size; ox++)
            {
                // Pixels outside the photo count as black, as in MediaPipe's letterbox.
                var count = rows * Math.Max(xEdge[ox + 1] - xEdge[ox], 1);
                var scale = 1f / (127.5f * count);
                outRow[ox * 3] = sums[ox * 3] * scale - 1f;
                outRow[ox * 3 + 1] = sums[ox * 3 + 1] * scale - 1f;
                outRow[ox * 3 + 2] = sums[ox * 3 + 2] * scale - 1f;
            }
        }
    }

    private static void FillBilinear(RgbPixels image, SquareRegion region, int size, float step, Span<float> tensor)
    {
        int w = image.Width, h = image.Height;
        for (var oy = 0; oy < size; oy++)
        {
            var sy = region.Top + (oy + 0.5f) * step - 0.5f;
            var y0 = (int)MathF.Floor(sy);
            var fy = sy - y0;
            // Rows outside the photo are black: an empty span reads as zeros below.
            var upper = y0 >= 0 && y0 < h ? image.Row(y0) : default;
            var lower = y0 + 1 >= 0 && y0 + 1 < h ? image.Row(y0 + 1) : default;
            for (var ox = 0; ox < size; ox++)
            {
                var sx = region.Left + (ox + 0.5f) * step - 0.5f;
                var x0 = (int)MathF.Floor(sx);
                var fx = sx - x0;
                var o = (oy * size + ox) * 3;
                for (var c = 0; c < 3; c++)
                {
                    var top = (1 - fx) * At(upper, w, x0, c) + fx * At(upper, w, x0 + 1, c);
                    var bottom = (1 - fx) * At(lower, w, x0, c) + fx * At(lower, w, x0 + 1, c);
                    tensor[o + c] = ((1 - fy) * top + fy * bottom) / 127.5f - 1f;
                }
            }
        }
    }

    private static float At(ReadOnlySpan<byte> row, int w, int x, int c) =>
        row.IsEmpty || x < 0 || x >= w ? 0f : row[x * 3 + c];
}
