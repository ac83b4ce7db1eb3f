using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;

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
        Span<int> largeEdges = stackalloc int[AreaGrid.EdgeInts(2 * size)];
        var grid = new AreaGrid(image, region, 2 * size, largeEdges);
        if (region.Side / (2 * size) <= 1 || !grid.EdgesIncrease()) return false;
        Span<int> smallEdges = stackalloc int[AreaGrid.EdgeInts(size)];
        var smallGrid = new AreaGrid(image, region, size, smallEdges);
        Span<int> largeSums = stackalloc int[2 * size * 3];
        Span<int> smallSums = stackalloc int[size * 3];
        Span<float> largeScale = stackalloc float[2 * size * 3];
        Span<float> smallScale = stackalloc float[size * 3];
        var columns = ArrayPool<ushort>.Shared.Rent(grid.ColumnSumLength);
        try
        {
            for (var oy = 0; oy < size; oy++)
            {
                for (var half = 0; half < 2; half++)
                {
                    grid.SumRow(2 * oy + half, largeSums, columns);
                    grid.WriteRow(2 * oy + half, largeSums, largeScale, large);
                    // Each small cell is two by two large cells: the first half sets, the second adds.
                    for (int ox = 0, s = 0, l = 0; ox < size; ox++, s += 3, l += 6)
                    {
                        int r = largeSums[l] + largeSums[l + 3], g = largeSums[l + 1] + largeSums[l + 4], b = largeSums[l + 2] + largeSums[l + 5];
                        if (half == 0) (smallSums[s], smallSums[s + 1], smallSums[s + 2]) = (r, g, b);
                        else { smallSums[s] += r; smallSums[s + 1] += g; smallSums[s + 2] += b; }
                    }
                }
                smallGrid.WriteRow(oy, smallSums, smallScale, small);
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(columns);
        }
        return true;
    }

    private static void FillByArea(RgbPixels image, SquareRegion region, int size, Span<float> tensor)
    {
        Span<int> edges = stackalloc int[AreaGrid.EdgeInts(size)];
        var grid = new AreaGrid(image, region, size, edges);
        Span<int> sums = stackalloc int[size * 3];
        Span<float> scale = stackalloc float[size * 3];
        var columns = ArrayPool<ushort>.Shared.Rent(grid.ColumnSumLength);
        try
        {
            for (var oy = 0; oy < size; oy++)
            {
                grid.SumRow(oy, sums, columns);
                grid.WriteRow(oy, sums, scale, tensor);
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(columns);
        }
    }

    /// <summary>
    /// The output cells of an area shrink: output cell i covers source columns and rows [edge[i], edge[i + 1]), possibly outside the photo.
    /// A row of cells is summed in two steps: first the source rows under it are added column by column (bytes widened to 16 bits,
    /// a vector at a time, four rows per pass, <see cref="RowSums"/>), then each cell's run of columns is added up (from the sums of every run
    /// of the narrower cell width, themselves added in vectors). Integer sums: the same numbers whatever the order.
    /// The loops are compiled fully optimised on first call (AggressiveOptimization): their tier-0 code, vector calls not
    /// yet turned into instructions, is many times slower, and on the busy two-core machine the tiered recompilation came
    /// after more than 200 calls (measured in a loop over one photo: 0.32 ms per 128 input until then, 0.02–0.09 ms after);
    /// a check-photo run over a class is over before that.
    /// </summary>
    private readonly ref struct AreaGrid
    {
        private readonly RgbPixels _image;
        private readonly int _size;
        private readonly Span<int> _xEdge, _yEdge, _x0, _x1;
        // The photo's columns [_first, _last) that some cell covers: only those are summed.
        private readonly int _first, _last;
        // The narrower of the two widths the cells' edges, rounded from a fractional step, give: step rounded down.
        private readonly int _narrow;

        /// <summary>Ints of scratch a grid of <paramref name="size"/> cells needs.</summary>
        public static int EdgeInts(int size) => 4 * size + 2;

        public AreaGrid(RgbPixels image, SquareRegion region, int size, Span<int> scratch)
        {
            _image = image;
            _size = size;
            var step = region.Side / size;
            _xEdge = scratch[..(size + 1)];
            _yEdge = scratch.Slice(size + 1, size + 1);
            _x0 = scratch.Slice(2 * size + 2, size);
            _x1 = scratch.Slice(3 * size + 2, size);
            for (var i = 0; i <= size; i++)
            {
                _xEdge[i] = (int)MathF.Round(region.Left + i * step);
                _yEdge[i] = (int)MathF.Round(region.Top + i * step);
            }
            // Output column ox sums source columns [x0[ox], x1[ox]) (clipped to the photo). Both are non-decreasing.
            for (var ox = 0; ox < size; ox++)
            {
                _x0[ox] = Math.Clamp(_xEdge[ox], 0, image.Width);
                _x1[ox] = Math.Clamp(_xEdge[ox + 1], _x0[ox], image.Width);
            }
            _first = _x0[0];
            _last = Math.Max(_first, _x1[size - 1]);
            _narrow = (int)MathF.Min(step, 1 << 16);
        }

        /// <summary>16-bit sums one row of cells needs: R, G, B of every covered column, and as many sums of runs of columns.</summary>
        public int ColumnSumLength => Math.Max(1, 2 * (_last - _first) * 3);

        public bool EdgesIncrease()
        {
            for (var i = 0; i < _size; i++)
                if (_xEdge[i + 1] <= _xEdge[i] || _yEdge[i + 1] <= _yEdge[i]) return false;
            return true;
        }

        private int RowsOf(int oy) => Math.Max(_yEdge[oy + 1], _yEdge[oy] + 1) - _yEdge[oy];

        /// <summary>R, G, B sums of every source pixel under each cell of output row <paramref name="oy"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void SumRow(int oy, Span<int> sums, ushort[] columns)
        {
            int ya = Math.Max(_yEdge[oy], 0), yb = Math.Min(_yEdge[oy] + RowsOf(oy), _image.Height);
            if (yb <= ya || _last == _first)
            {
                sums[..(_size * 3)].Clear();
                return;
            }
            if (yb - ya > RowSums.MaxRows)
            {
                SumRowWide(ya, yb, sums);
                return;
            }
            int from = _first * 3, length = (_last - _first) * 3;
            var column = columns.AsSpan(0, length);
            // Four, then two source rows per pass over the column sums.
            var y = ya;
            for (; y + 3 < yb; y += 4)
                RowSums.AddFourRows(_image.Row(y).Slice(from, length), _image.Row(y + 1).Slice(from, length),
                    _image.Row(y + 2).Slice(from, length), _image.Row(y + 3).Slice(from, length), column, add: y > ya);
            for (; y + 1 < yb; y += 2) RowSums.AddRows(_image.Row(y).Slice(from, length), _image.Row(y + 1).Slice(from, length), column, add: y > ya);
            if (y < yb) RowSums.AddRow(_image.Row(y).Slice(from, length), column, add: y > ya);

            // Then each cell's run of columns. Most cells are _narrow or _narrow + 1 columns wide: their sums are picked from
            // the sums of every run of _narrow columns, added in vectors (16 bits: at most 257 rows of 255 per sum).
            var runs = columns.AsSpan(length, length);
            var byRuns = _narrow > 1 && (yb - ya) * (_narrow + 1) <= RowSums.MaxRows && length > 3 * _narrow;
            if (byRuns) RowSums.AddRuns(column, 3, _narrow, runs);
            ref var c = ref MemoryMarshal.GetArrayDataReference(columns);
            ref var run = ref MemoryMarshal.GetReference(runs);
            for (var ox = 0; ox < _size; ox++)
            {
                int r = 0, g = 0, b = 0;
                int i = (_x0[ox] - _first) * 3, end = (_x1[ox] - _first) * 3, width = _x1[ox] - _x0[ox];
                if (byRuns && (width == _narrow || width == _narrow + 1))
                {
                    (r, g, b) = (Unsafe.Add(ref run, i), Unsafe.Add(ref run, i + 1), Unsafe.Add(ref run, i + 2));
                    if (width > _narrow)
                    {
                        var last = i + 3 * _narrow;
                        (r, g, b) = (r + Unsafe.Add(ref c, last), g + Unsafe.Add(ref c, last + 1), b + Unsafe.Add(ref c, last + 2));
                    }
                }
                else
                    for (; i < end; i += 3)
                    {
                        r += Unsafe.Add(ref c, i);
                        g += Unsafe.Add(ref c, i + 1);
                        b += Unsafe.Add(ref c, i + 2);
                    }
                sums[ox * 3] = r;
                sums[ox * 3 + 1] = g;
                sums[ox * 3 + 2] = b;
            }
        }

        /// <summary>The plain per-pixel sums in 32 bits, for cells too tall for 16-bit column sums.</summary>
        private void SumRowWide(int ya, int yb, Span<int> sums)
        {
            sums[..(_size * 3)].Clear();
            for (var y = ya; y < yb; y++)
            {
                var row = _image.Row(y);
                for (var ox = 0; ox < _size; ox++)
                    for (var x = _x0[ox]; x < _x1[ox]; x++)
                    {
                        sums[ox * 3] += row[x * 3];
                        sums[ox * 3 + 1] += row[x * 3 + 1];
                        sums[ox * 3 + 2] += row[x * 3 + 2];
                    }
            }
        }

        /// <summary>The row's means scaled to [-1, 1]; pixels outside the photo count as black, as in MediaPipe's letterbox.</summary>
        /// <param name="scale">Scratch of size x 3 floats: each cell's 1 / (127.5 count), kept from the previous row while its height is the same.</param>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void WriteRow(int oy, ReadOnlySpan<int> sums, Span<float> scale, Span<float> tensor)
        {
            var rows = RowsOf(oy);
            if (oy == 0 || rows != RowsOf(oy - 1))
                for (var ox = 0; ox < _size; ox++)
                {
                    var count = rows * Math.Max(_xEdge[ox + 1] - _xEdge[ox], 1);
                    scale[ox * 3] = scale[ox * 3 + 1] = scale[ox * 3 + 2] = 1f / (127.5f * count);
                }
            // sum * scale - 1 in single precision, multiply then subtract (never fused), lane by lane as the scalar tail does.
            var outRow = tensor.Slice(oy * _size * 3, _size * 3);
            if (sums.Length < outRow.Length || scale.Length < outRow.Length) throw new ArgumentException("Sums or scales shorter than the row.");
            ref var ps = ref MemoryMarshal.GetReference(sums);
            ref var pk = ref MemoryMarshal.GetReference(scale);
            ref var po = ref MemoryMarshal.GetReference(outRow);
            var i = 0;
            if (Vector.IsHardwareAccelerated)
                for (; i <= outRow.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var v = Vector.ConvertToSingle(Vector.LoadUnsafe(ref ps, (nuint)i));
                    (v * Vector.LoadUnsafe(ref pk, (nuint)i) - Vector<float>.One).StoreUnsafe(ref po, (nuint)i);
                }
            for (; i < outRow.Length; i++) outRow[i] = sums[i] * scale[i] - 1f;
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
