using System.Buffers;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// The teeth measurement's blocks: 4-connected runs of enamel-like pixels, and by how much each is lighter than
/// the pixels within 2 px around it. Pooled labels and stamps instead of a list per block and two hash sets per
/// ring; the blocks are found, and their pixels and rings summed, in the order the first version used (blocks by
/// their first pixel, a block's pixels in the order a depth-first search takes them, the ring in the order its
/// pixels are first met), so every sum is the same double.
/// </summary>
internal static class TeethBlocks
{
    /// <summary>Pixels in the largest block whose mean L* is more than <paramref name="contrast"/> above its ring's.</summary>
    public static int Largest(ReadOnlySpan<bool> mask, ReadOnlySpan<float> lightness, int w, int h, double contrast)
    {
        var n = w * h;
        if (mask.Length < n || lightness.Length < n) throw new ArgumentException($"A {w}x{h} block needs {n} flags and lightnesses.");
        var pool = ArrayPool<int>.Shared;
        // label: the block a pixel belongs to (0: none yet); ring: the last block whose ring holds the pixel.
        int[] label = pool.Rent(n), ring = pool.Rent(n), stack = pool.Rent(n), blob = pool.Rent(n);
        try
        {
            label.AsSpan(0, n).Clear();
            ring.AsSpan(0, n).Clear();
            int largest = 0, id = 0;
            for (var start = 0; start < n; start++)
            {
                if (!mask[start] || label[start] != 0) continue;
                id++;
                label[start] = id;
                int top = 0, count = 0;
                stack[top++] = start;
                while (top > 0)
                {
                    var p = stack[--top];
                    blob[count++] = p;
                    int x = p % w, y = p / w;
                    if (x > 0 && mask[p - 1] && label[p - 1] == 0) (label[p - 1], stack[top++]) = (id, p - 1);
                    if (x < w - 1 && mask[p + 1] && label[p + 1] == 0) (label[p + 1], stack[top++]) = (id, p + 1);
                    if (y > 0 && mask[p - w] && label[p - w] == 0) (label[p - w], stack[top++]) = (id, p - w);
                    if (y < h - 1 && mask[p + w] && label[p + w] == 0) (label[p + w], stack[top++]) = (id, p + w);
                }
                if (count > largest && RingContrast(blob.AsSpan(0, count), id, label, ring, lightness, w, h) > contrast) largest = count;
            }
            return largest;
        }
        finally
        {
            pool.Return(label);
            pool.Return(ring);
            pool.Return(stack);
            pool.Return(blob);
        }
    }

    /// <summary>
    /// Mean L* of the block minus the mean L* of the pixels within 2 px around it, as LINQ's Average took them: a double
    /// sum in order, divided by the count, rounded to float.
    /// </summary>
    private static double RingContrast(ReadOnlySpan<int> blob, int id, int[] label, int[] ring, ReadOnlySpan<float> lightness, int w, int h)
    {
        double inner = 0, outer = 0;
        var around = 0;
        foreach (var p in blob) inner += lightness[p];
        foreach (var p in blob)
        {
            int x = p % w, y = p / w;
            for (var dy = -2; dy <= 2; dy++)
                for (var dx = -2; dx <= 2; dx++)
                {
                    int nx = x + dx, ny = y + dy;
                    if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
                    var q = ny * w + nx;
                    if (label[q] == id || ring[q] == id) continue;
                    ring[q] = id;
                    outer += lightness[q];
                    around++;
                }
        }
        if (around == 0) return 0;
        return (float)(inner / blob.Length) - (float)(outer / around);
    }
}
