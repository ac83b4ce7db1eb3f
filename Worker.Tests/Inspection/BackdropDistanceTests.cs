using CollectionWorker.Inspection;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// The bit-set distance from the person's outline equals a plain breadth-first search (eight neighbours,
/// through backdrop only, capped) on masks with islands, gaps and grids of 1 to 3 words per row.
/// </summary>
public sealed class BackdropDistanceTests
{
    [Theory]
    [InlineData(120, 160, 1)]
    [InlineData(64, 40, 2)]
    [InlineData(65, 30, 3)]
    [InlineData(130, 90, 4)]
    [InlineData(7, 9, 5)]
    [InlineData(192, 50, 6)]
    public void Bit_set_distances_equal_a_breadth_first_search(int cols, int rows, int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 20; round++)
        {
            var n = cols * rows;
            var background = new bool[n];
            var subject = new bool[n];
            // A person: a block rising from the bottom edge; islands and holes scattered over the rest.
            int left = random.Next(cols / 2), right = left + 1 + random.Next(cols - left), top = random.Next(rows);
            for (var p = 0; p < n; p++)
            {
                int c = p % cols, r = p / cols;
                if (c >= left && c < right && r >= top) subject[p] = true;
                else background[p] = random.NextDouble() > 0.08 * round / 10;
            }
            var expected = Reference(background, subject, cols, rows);
            var actual = new int[n];
            BackdropDistance.Measure(background, subject, cols, rows, Silhouette.DistanceCap, Silhouette.Outside, actual);
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>The search the silhouette used before the bit sets (kept here as the reference).</summary>
    private static int[] Reference(bool[] background, bool[] subject, int cols, int rows)
    {
        var n = cols * rows;
        var distance = new int[n];
        var queue = new int[n];
        int head = 0, tail = 0;
        for (var p = 0; p < n; p++)
        {
            if (subject[p])
            {
                int c = p % cols, r = p / cols;
                if ((c > 0 && background[p - 1]) || (c < cols - 1 && background[p + 1]) ||
                    (r > 0 && background[p - cols]) || (r < rows - 1 && background[p + cols]))
                    queue[tail++] = p;
            }
            else distance[p] = background[p] ? Silhouette.DistanceCap : Silhouette.Outside;
        }
        while (head < tail)
        {
            var p = queue[head++];
            int c = p % cols, r = p / cols;
            var d = distance[p] + 1;
            if (d >= Silhouette.DistanceCap) continue;
            for (var dr = -1; dr <= 1; dr++)
                for (var dc = -1; dc <= 1; dc++)
                {
                    int nc = c + dc, nr = r + dr;
                    if (nc < 0 || nr < 0 || nc >= cols || nr >= rows) continue;
                    var q = nr * cols + nc;
                    if (!background[q] || distance[q] <= d) continue;
                    distance[q] = d;
                    queue[tail++] = q;
                }
        }
        return distance;
    }
}
