using System.Buffers;
using System.Runtime.InteropServices;

namespace CollectionWorker.Inspection;

/// <summary>
/// The silhouette's regions that are not backdrop (four-connected), as runs of patches along each row joined
/// across rows by a union-find: the person is the largest region touching the bottom edge, with the regions
/// resting on it (<see cref="JoinResting"/>); every other region is an island. A flood fill patch by patch gives
/// the same regions, numbered in the same order (by their first patch, row by row), at several times the cost:
/// rows of a 480x640 photo hold a handful of runs, not 120 patches.
/// </summary>
internal static class SubjectRegions
{
    /// <summary>Patches of backdrop colour between a region and the person below it that still join them (12 px at 480x640).</summary>
    public const int MaxRestingGap = 3;

    /// <summary>Fills <paramref name="isSubject"/> and <paramref name="isIsland"/> (every patch) from <paramref name="isBackground"/>.</summary>
    public static void Label(bool[] isBackground, int cols, int rows, bool[] isSubject, bool[] isIsland)
    {
        var n = cols * rows;
        var background = MemoryMarshal.Cast<bool, byte>(isBackground.AsSpan(0, n));
        var most = rows * ((cols + 1) / 2); // runs of at least one patch, apart by at least one
        var ints = ArrayPool<int>.Shared.Rent(5 * most + 1 + rows + 1 + n); // the spans below, end to end
        var flags = ArrayPool<bool>.Shared.Rent(2 * (most + 1));
        try
        {
            var start = ints.AsSpan(0, most);
            var end = ints.AsSpan(most, most);
            var parent = ints.AsSpan(2 * most, most);
            var region = ints.AsSpan(3 * most, most);     // of each run: 1, 2, … in order of the region's first patch
            var size = ints.AsSpan(4 * most, most + 1);   // of each region, in patches
            var firstOfRow = ints.AsSpan(5 * most + 1, rows + 1);
            var label = ints.AsSpan(5 * most + rows + 2, n);

            // Runs row by row; each run joined with the runs of the row above that share a column with it.
            var runs = 0;
            for (var r = 0; r < rows; r++)
            {
                firstOfRow[r] = runs;
                var row = background.Slice(r * cols, cols);
                for (var c = 0; c < cols;)
                {
                    var s = row[c..].IndexOf((byte)0);
                    if (s < 0) break;
                    s += c;
                    var e = row[s..].IndexOfAnyExcept((byte)0);
                    e = e < 0 ? cols : s + e;
                    (start[runs], end[runs], parent[runs]) = (s, e, runs);
                    runs++;
                    c = e;
                }
                for (int a = r > 0 ? firstOfRow[r - 1] : runs, b = firstOfRow[r]; a < firstOfRow[r] && b < runs;)
                {
                    if (start[a] < end[b] && start[b] < end[a]) Union(parent, a, b);
                    // The run that ends first meets nothing further right.
                    if (end[a] < end[b]) a++; else b++;
                }
            }
            firstOfRow[rows] = runs;

            // Every root is its region's first run, so regions numbered as their roots come are numbered by first patch.
            var regions = 0;
            for (var i = 0; i < runs; i++)
            {
                var root = Find(parent, i);
                region[i] = root == i ? ++regions : region[root];
            }
            size[..(regions + 1)].Clear();
            var touchesBottom = flags.AsSpan(0, regions + 1);
            touchesBottom.Clear();
            for (var i = 0; i < runs; i++) size[region[i]] += end[i] - start[i];
            for (var i = rows > 0 ? firstOfRow[rows - 1] : runs; i < runs; i++) touchesBottom[region[i]] = true;

            var subject = 0;
            for (var id = 1; id <= regions; id++)
                if (subject == 0 || (touchesBottom[id] && !touchesBottom[subject]) ||
                    (touchesBottom[id] == touchesBottom[subject] && size[id] > size[subject]))
                    subject = id;

            var person = flags.AsSpan(most + 1, regions + 1);
            person.Clear();
            if (subject != 0)
            {
                label.Clear();
                for (var r = 0; r < rows; r++)
                    for (var i = firstOfRow[r]; i < firstOfRow[r + 1]; i++)
                        label.Slice(r * cols + start[i], end[i] - start[i]).Fill(region[i]);
                JoinResting(label, cols, rows, subject, person);
            }

            Array.Clear(isSubject, 0, n);
            Array.Clear(isIsland, 0, n);
            for (var r = 0; r < rows; r++)
                for (var i = firstOfRow[r]; i < firstOfRow[r + 1]; i++)
                    (person[region[i]] ? isSubject : isIsland).AsSpan(r * cols + start[i], end[i] - start[i]).Fill(true);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(ints);
            ArrayPool<bool>.Shared.Return(flags);
        }
    }

    /// <summary>
    /// Regions that rest on the person across a thin band of backdrop colour belong to the person too:
    /// light stripes of a shirt, or a white collar, on a white or light-gray backdrop let the backdrop grow
    /// into the clothing and cut the head (or a stripe) off the body. An object or another person stands
    /// apart from the body by far more than <see cref="MaxRestingGap"/> patches. Each column is walked up
    /// from the bottom; all columns at once, a row at a time, so the labels are read in memory order. Joining
    /// only ever adds regions and each join needs only the regions joined before, so the order the columns
    /// are walked in does not change the outcome: it stops when a whole pass joins nothing more.
    /// </summary>
    private static void JoinResting(ReadOnlySpan<int> label, int cols, int rows, int subject, Span<bool> person)
    {
        person[subject] = true;
        var below = ArrayPool<int>.Shared.Rent(cols); // per column: rows since its last person patch, walking up
        try
        {
            for (var changed = true; changed;)
            {
                changed = false;
                below.AsSpan(0, cols).Fill(int.MaxValue);
                for (var r = rows - 1; r >= 0; r--)
                {
                    var row = label.Slice(r * cols, cols);
                    for (var c = 0; c < cols; c++)
                    {
                        var id = row[c];
                        if (id == 0) { if (below[c] != int.MaxValue) below[c]++; continue; }
                        if (!person[id] && below[c] <= MaxRestingGap)
                        {
                            person[id] = true;
                            changed = true;
                        }
                        below[c] = person[id] ? 0 : int.MaxValue;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(below);
        }
    }

    private static int Find(Span<int> parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /// <summary>Joins two runs' trees under the earlier root, so every root is its region's first run.</summary>
    private static void Union(Span<int> parent, int a, int b)
    {
        a = Find(parent, a);
        b = Find(parent, b);
        if (a < b) parent[b] = a;
        else if (b < a) parent[a] = b;
    }
}
