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
        var rgb = image.Rgb.Span;
        int w = image.Width, h = image.Height;
        // Integer source spans per output column and row: [start, end), possibly outside the photo.
        Span<int> x0 = stackalloc int[size + 1];
        Span<int> y0 = stackalloc int[size + 1];
        for (var i = 0; i <= size; i++)
        {
            x0[i] = (int)MathF.Round(region.Left + i * step);
            y0[i] = (int)MathF.Round(region.Top + i * step);
        }

        var columnSums = new int[size * 3];
        for (var oy = 0; oy < size; oy++)
        {
            Array.Clear(columnSums);
            int ya = y0[oy], yb = Math.Max(y0[oy + 1], ya + 1);
            for (var y = Math.Max(ya, 0); y < Math.Min(yb, h); y++)
            {
                var row = rgb.Slice(y * w * 3, w * 3);
                for (var ox = 0; ox < size; ox++)
                {
                    int xa = Math.Max(x0[ox], 0), xb = Math.Min(Math.Max(x0[ox + 1], x0[ox] + 1), w);
                    int r = 0, g = 0, b = 0;
                    for (var x = xa; x < xb; x++)
                    {
                        r += row[x * 3];
                        g += row[x * 3 + 1];
                        b += row[x * 3 + 2];
                    }
                    columnSums[ox * 3] += r;
                    columnSums[ox * 3 + 1] += g;
                    columnSums[ox * 3 + 2] += b;
                }
            }

            var rows = yb - ya;
            var outRow = tensor.Slice(oy * size * 3, size * 3);
            for (var ox = 0; ox < size; ox++)
            {
                // Pixels outside the photo count as black, as in MediaPipe's letterbox.
                var count = rows * Math.Max(x0[ox + 1] - x0[ox], 1);
                var scale = 1f / (127.5f * count);
                outRow[ox * 3] = columnSums[ox * 3] * scale - 1f;
                outRow[ox * 3 + 1] = columnSums[ox * 3 + 1] * scale - 1f;
                outRow[ox * 3 + 2] = columnSums[ox * 3 + 2] * scale - 1f;
            }
        }
    }

    private static void FillBilinear(RgbPixels image, SquareRegion region, int size, float step, Span<float> tensor)
    {
        var rgb = image.Rgb.Span;
        int w = image.Width, h = image.Height;
        for (var oy = 0; oy < size; oy++)
        {
            var sy = region.Top + (oy + 0.5f) * step - 0.5f;
            for (var ox = 0; ox < size; ox++)
            {
                var sx = region.Left + (ox + 0.5f) * step - 0.5f;
                var o = (oy * size + ox) * 3;
                for (var c = 0; c < 3; c++)
                    tensor[o + c] = Sample(rgb, w, h, sx, sy, c) / 127.5f - 1f;
            }
        }
    }

    private static float Sample(ReadOnlySpan<byte> rgb, int w, int h, float x, float y, int c)
    {
        var xf = MathF.Floor(x);
        var yf = MathF.Floor(y);
        int xi = (int)xf, yi = (int)yf;
        float fx = x - xf, fy = y - yf;
        return (1 - fy) * ((1 - fx) * At(rgb, w, h, xi, yi, c) + fx * At(rgb, w, h, xi + 1, yi, c))
             + fy * ((1 - fx) * At(rgb, w, h, xi, yi + 1, c) + fx * At(rgb, w, h, xi + 1, yi + 1, c));
    }

    private static float At(ReadOnlySpan<byte> rgb, int w, int h, int x, int y, int c) =>
        x < 0 || y < 0 || x >= w || y >= h ? 0f : rgb[(y * w + x) * 3 + c];
}
