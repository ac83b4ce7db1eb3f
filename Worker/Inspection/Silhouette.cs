using System.Buffers;
using System.Runtime.InteropServices;

namespace CollectionWorker.Inspection;

/// <summary>
/// Separates the backdrop from the subject using the image itself: the backdrop colour is read
/// from the frame's top edge and upper sides, then grown inwards patch by patch while the colour
/// changes only gradually (vignetting, gradients and soft shadows stay backdrop; the sharp edge of
/// hair, skin or clothing stops it). What must be plain background is then "backdrop above the
/// shoulders, a margin away from the outline": never a fixed box, so any head size, position or
/// hairstyle is handled, and dark hair is subject, not shadow or clutter.
/// </summary>
public sealed class Silhouette
{
    // Growth limits (CIE76 on 4x4-patch means): far enough from the backdrop colour to cover
    // vignetting and soft shadows, small enough per step that any real outline stops the growth.
    private const float MaxDistanceFromBackdrop = 28;
    private const float MaxStep = 7;
    // A hard shadow: backdrop hue, darker by at most this much lightness.
    private const float ShadowChromaTolerance = 8;
    private const float ShadowMaxDarkening = 32;

    public const int Outside = int.MaxValue;
    /// <summary>Distances are measured up to here; backdrop patches further from the person all read this value.</summary>
    public const int DistanceCap = 16;

    /// <summary>Into the silhouette's arrays of <paramref name="buffers"/> (those <paramref name="grid"/> was measured into), which it overwrites.</summary>
    internal Silhouette(PatchGrid grid, AnalysisBuffers buffers)
    {
        if (buffers.Color != grid.Color) throw new ArgumentException("not the buffers the grid was measured into", nameof(buffers));
        Grid = grid;
        IsBackground = buffers.IsBackground;
        IsSubject = buffers.IsSubject;
        IsIsland = buffers.IsIsland;
        Distance = buffers.Distance;
        // The growth starts from no backdrop; the other arrays are written whole by the steps below.
        Array.Clear(IsBackground);

        Reference = EstimateBackdrop(grid, out var seeds);
        Grow(seeds);
        FindSubject();
        ShoulderRow = FindShoulderRow();
        AbsorbHardShadows();
        MeasureDistances();
        HeadCentreX = FindHeadCentre();
    }

    public PatchGrid Grid { get; }
    /// <summary>The backdrop colour as read from the frame's edge (median of the seed patches).</summary>
    public Lab Reference { get; }
    public bool[] IsBackground { get; }
    /// <summary>The person: the largest non-backdrop region touching the bottom edge.</summary>
    public bool[] IsSubject { get; }
    /// <summary>Non-backdrop regions above the shoulders that are not the person: objects, text, other people.</summary>
    public bool[] IsIsland { get; }
    /// <summary>Patch rows above this one must be plain backdrop wherever the person is not.</summary>
    public int ShoulderRow { get; private set; }
    /// <summary>Chessboard distance (patches, capped at <see cref="DistanceCap"/>) from each backdrop patch to the person; 0 on the person; <see cref="Outside"/> on non-backdrop patches that are not the person.</summary>
    public int[] Distance { get; }
    /// <summary>Horizontal centre of the head (pixels), from the outline.</summary>
    public float HeadCentreX { get; }

    private static Lab EstimateBackdrop(PatchGrid g, out List<int> seeds)
    {
        seeds = [];
        var sideRows = Math.Max(1, (int)(g.Rows * 0.6));
        for (var c = 0; c < g.Cols; c++)
            for (var r = 0; r < Math.Min(2, g.Rows); r++) seeds.Add(g.Index(c, r));
        for (var r = 2; r < sideRows; r++)
            for (var c = 0; c < Math.Min(2, g.Cols); c++)
            {
                seeds.Add(g.Index(c, r));
                seeds.Add(g.Index(g.Cols - 1 - c, r));
            }
        var n = seeds.Count;
        var buffer = ArrayPool<float>.Shared.Rent(3 * n);
        try
        {
            Span<float> l = buffer.AsSpan(0, n), a = buffer.AsSpan(n, n), b = buffer.AsSpan(2 * n, n);
            for (var k = 0; k < n; k++)
            {
                var colour = g.Color[seeds[k]];
                (l[k], a[k], b[k]) = (colour.L, colour.A, colour.B);
            }
            return new Lab(Stats.Median(l), Stats.Median(a), Stats.Median(b));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Grows the backdrop from the seeds: a neighbour joins when its colour is near the backdrop's and near the
    /// patch it is reached from. Which patches join does not depend on the order they are reached in (a
    /// neighbour refused from one side may still join from another), so the search is a plain queue.
    /// </summary>
    private void Grow(List<int> seeds)
    {
        var g = Grid;
        var colors = g.Color;
        var background = IsBackground;
        var reference = Reference;
        int cols = g.Cols, rows = g.Rows;
        // Each patch enters the queue at most once: a plain array is the queue.
        var queue = ArrayPool<int>.Shared.Rent(background.Length);
        try
        {
            int head = 0, tail = 0;
            foreach (var s in seeds)
                if (!background[s] && Distance2(colors[s], reference) < MaxFromBackdrop2)
                {
                    background[s] = true;
                    queue[tail++] = s;
                }
            while (head < tail)
            {
                var p = queue[head++];
                var here = colors[p];
                int c = g.ColOf[p], r = g.RowOf[p];
                if (c > 0 && !background[p - 1] && Joins(colors[p - 1], here, reference)) { background[p - 1] = true; queue[tail++] = p - 1; }
                if (c < cols - 1 && !background[p + 1] && Joins(colors[p + 1], here, reference)) { background[p + 1] = true; queue[tail++] = p + 1; }
                if (r > 0 && !background[p - cols] && Joins(colors[p - cols], here, reference)) { background[p - cols] = true; queue[tail++] = p - cols; }
                if (r < rows - 1 && !background[p + cols] && Joins(colors[p + cols], here, reference)) { background[p + cols] = true; queue[tail++] = p + cols; }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(queue);
        }
    }

    private const float MaxFromBackdrop2 = MaxDistanceFromBackdrop * MaxDistanceFromBackdrop;
    private const float MaxStep2 = MaxStep * MaxStep;

    private static bool Joins(Lab colour, Lab from, Lab reference) =>
        Distance2(colour, reference) < MaxFromBackdrop2 && Distance2(colour, from) < MaxStep2;

    private static float Distance2(Lab x, Lab y)
    {
        float dl = x.L - y.L, da = x.A - y.A, db = x.B - y.B;
        return dl * dl + da * da + db * db;
    }

    /// <summary>
    /// A hard-edged shadow stops the gradual growth; patches of the backdrop's hue, only darker, are backdrop in shadow.
    /// Whether a patch is such a shadow depends on the patch alone, so the result is every shadow-like patch above
    /// the shoulders joined to the backdrop through shadow-like patches: the search starts from the shadow-like
    /// patches beside the backdrop instead of from every backdrop patch (most of them have only backdrop around).
    /// </summary>
    private void AbsorbHardShadows()
    {
        var g = Grid;
        int cols = g.Cols, plainRows = Math.Min(g.Rows, ShoulderRow);
        var plain = Math.Min(IsBackground.Length, ShoulderRow * cols);
        var queue = ArrayPool<int>.Shared.Rent(Math.Max(1, plain));
        try
        {
            int head = 0, tail = 0;
            for (var p = 0; p < plain; p++)
            {
                if (IsBackground[p]) continue;
                int c = g.ColOf[p], r = g.RowOf[p];
                // The neighbours first: a few bytes, where the colour test is a square root (most patches inside the person fail here).
                if (((c > 0 && IsBackground[p - 1]) || (c < cols - 1 && IsBackground[p + 1]) ||
                     (r > 0 && IsBackground[p - cols]) || (r < plainRows - 1 && IsBackground[p + cols])) && LooksLikeShadow(p))
                    Absorb(p);
            }
            while (head < tail)
            {
                var p = queue[head++];
                int c = g.ColOf[p], r = g.RowOf[p];
                if (c > 0) Visit(p - 1);
                if (c < cols - 1) Visit(p + 1);
                if (r > 0) Visit(p - cols);
                if (r < plainRows - 1) Visit(p + cols);
            }

            void Visit(int q)
            {
                if (!IsBackground[q] && LooksLikeShadow(q)) Absorb(q);
            }

            // Shadow that had been taken for the person (or an object) is backdrop now; relabelling
            // the regions for these few patches is not worth a second pass.
            void Absorb(int q)
            {
                IsBackground[q] = true;
                IsSubject[q] = false;
                IsIsland[q] = false;
                queue[tail++] = q;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(queue);
        }
    }

    private bool LooksLikeShadow(int q)
    {
        var colour = Grid.Color[q];
        var darker = Reference.L - colour.L;
        var da = colour.A - Reference.A;
        var db = colour.B - Reference.B;
        if (darker < 2 || darker > ShadowMaxDarkening) return false;
        if (MathF.Sqrt(da * da + db * db) > ShadowChromaTolerance) return false;
        // Texture (hair, fabric) is not shadow: a shadow on a plain backdrop is smooth.
        return Grid.LumaStdDev[q] <= 6;
    }

    /// <summary>The person and the islands: the regions that are not backdrop (see <see cref="SubjectRegions"/>).</summary>
    private void FindSubject() => SubjectRegions.Label(IsBackground, Grid.Cols, Grid.Rows, IsSubject, IsIsland);

    private int FindShoulderRow()
    {
        var g = Grid;
        int? wide = null, medium = null;
        for (var r = (int)(g.Rows * 0.4); r < g.Rows; r++)
        {
            var width = Row(IsSubject, r).Count((byte)1);
            if (width >= 0.75 * g.Cols) { wide = r; break; }
            if (medium is null && width >= 0.55 * g.Cols) medium = r;
        }
        return wide ?? medium ?? (int)(g.Rows * 0.75);
    }

    /// <summary>Distances from the person's outline through the backdrop (see <see cref="Distance"/>).</summary>
    private void MeasureDistances() =>
        BackdropDistance.Measure(IsBackground, IsSubject, Grid.Cols, Grid.Rows, DistanceCap, Outside, Distance);

    private float FindHeadCentre()
    {
        var g = Grid;
        var centres = new List<float>();
        for (var r = (int)(g.Rows * 0.25); r < Math.Min(ShoulderRow, (int)(g.Rows * 0.5)); r++)
        {
            var row = Row(IsSubject, r);
            var left = row.IndexOf((byte)1);
            if (left >= 0) centres.Add((left + row.LastIndexOf((byte)1) + 1) * g.Size / 2f);
        }
        return centres.Count > 0 ? Stats.Median(centres.ToArray()) : g.Cols * g.Size / 2f;
    }

    /// <summary>One patch row of a flag plane as bytes (true is 1), for the vectorised counts and searches.</summary>
    private ReadOnlySpan<byte> Row(bool[] flags, int row) => MemoryMarshal.Cast<bool, byte>(flags.AsSpan(row * Grid.Cols, Grid.Cols));
}
