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
        if (step > 1) FillByArea(image, region, size, tensor);
        else FillBilinear(image, region, size, step, tensor);
    }

    /// <summary>
    /// Both whole-photo inputs from one pass over the photo: the <paramref name="size"/> one (128) and the
    /// twice as large one (256). Each cell of the small one covers exactly two by two cells of the large one
    /// (its edges are every other edge of the large one), so its integer sums are the sums of theirs and both
    /// tensors are exactly what <see cref="Fill"/> makes of each. Returns false (and fills nothing) when the
    /// large input would not be a shrink with distinct edges; then fill each on its own.
    /// </summary>
    public static bool TryFillPair(RgbPixels image, SquareRegion region, int size, Span<float> small, Span<float> large)
    {
        if (small.Length < size * size * 3 || large.Length < 4 * size * size * 3)
            throw new ArgumentException($"A {size}x{size} and a {2 * size}x{2 * size} input need {size * size * 3} and {4 * size * size * 3} floats.");
        var grid = new AreaGrid(image, region, 2 * size);
        if (region.Side / (2 * size) <= 1 || !grid.EdgesIncrease()) return false;
        var smallGrid = new AreaGrid(image, region, size);
        Span<int> largeSums = stackalloc int[2 * size * 3];
        Span<int> smallSums = stackalloc int[size * 3];
        for (var oy = 0; oy < size; oy++)
        {
            smallSums.Clear();
            for (var half = 0; half < 2; half++)
            {
                grid.SumRow(2 * oy + half, largeSums);
                grid.WriteRow(2 * oy + half, largeSums, large);
                for (var ox = 0; ox < size; ox++)
                    for (var c = 0; c < 3; c++)
                        smallSums[ox * 3 + c] += largeSums[2 * ox * 3 + c] + largeSums[(2 * ox + 1) * 3 + c];
            }
            smallGrid.WriteRow(oy, smallSums, small);
        }
        return true;
    }

    private static void FillByArea(RgbPixels image, SquareRegion region, int size, Span<float> tensor)
    {
        var grid = new AreaGrid(image, region, size);
        Span<int> sums = stackalloc int[size * 3];
        for (var oy = 0; oy < size; oy++)
        {
            grid.SumRow(oy, sums);
            grid.WriteRow(oy, sums, tensor);
        }
    }

    /// <summary>The output cells of an area shrink: output cell i covers source columns and rows [edge[i], edge[i + 1]), possibly outside the photo.</summary>
    private readonly ref struct AreaGrid
    {
        private readonly RgbPixels _image;
        private readonly int _size;
        private readonly int[] _xEdge, _yEdge, _x0, _x1;

        public AreaGrid(RgbPixels image, SquareRegion region, int size)
        {
            _image = image;
            _size = size;
            var step = region.Side / size;
            _xEdge = new int[size + 1];
            _yEdge = new int[size + 1];
            for (var i = 0; i <= size; i++)
            {
                _xEdge[i] = (int)MathF.Round(region.Left + i * step);
                _yEdge[i] = (int)MathF.Round(region.Top + i * step);
            }
            // Output column ox sums source columns [x0[ox], x1[ox]) (clipped to the photo): each source row is
            // summed run by run, with no per-pixel lookup or branch. Integer sums: the order does not matter.
            _x0 = new int[size];
            _x1 = new int[size];
            for (var ox = 0; ox < size; ox++)
            {
                _x0[ox] = Math.Clamp(_xEdge[ox], 0, image.Width);
                _x1[ox] = Math.Clamp(_xEdge[ox + 1], _x0[ox], image.Width);
            }
        }

        public bool EdgesIncrease()
        {
            for (var i = 0; i < _size; i++)
                if (_xEdge[i + 1] <= _xEdge[i] || _yEdge[i + 1] <= _yEdge[i]) return false;
            return true;
        }

        private int RowsOf(int oy) => Math.Max(_yEdge[oy + 1], _yEdge[oy] + 1) - _yEdge[oy];

        /// <summary>R, G, B sums of every source pixel under each cell of output row <paramref name="oy"/>.</summary>
        public void SumRow(int oy, Span<int> sums)
        {
            sums.Clear();
            int ya = _yEdge[oy], yb = ya + RowsOf(oy);
            for (var y = Math.Max(ya, 0); y < Math.Min(yb, _image.Height); y++)
            {
                var row = _image.Row(y);
                for (var ox = 0; ox < _size; ox++)
                {
                    int r = 0, g = 0, b = 0;
                    for (int x = _x0[ox], end = _x1[ox]; x < end; x++)
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
        }

        /// <summary>The row's means scaled to [-1, 1]; pixels outside the photo count as black, as in MediaPipe's letterbox.</summary>
        public void WriteRow(int oy, ReadOnlySpan<int> sums, Span<float> tensor)
        {
            var rows = RowsOf(oy);
            var outRow = tensor.Slice(oy * _size * 3, _size * 3);
            for (var ox = 0; ox < _size; ox++)
            {
                var count = rows * Math.Max(_xEdge[ox + 1] - _xEdge[ox], 1);
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
