using System.Buffers;
using CollectionWorker.Inspection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// The person and the islands found from runs of patches (<see cref="SubjectRegions"/>) are the flood fill's, patch
/// for patch: on the backdrop of every photo of the pinned-verdict set (the 40 real calibration photos, their
/// derived defects, the drawn portraits) and on random masks with many regions, ties in size, bands across the
/// person and regions resting on it a few patches above.
/// </summary>
public sealed class SubjectRegionsTests
{
    [Fact]
    public void Runs_give_the_flood_fills_regions_on_every_pinned_photo()
    {
        var options = new InspectionOptions();
        var compared = 0;
        foreach (var (name, bytes) in PinnedVerdictsTests.PinnedPhotos())
        {
            using var image = Image.Load<Rgb24>(bytes);
            var rgb = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(rgb);
            var s = new PhotoAnalysis(image.Width, image.Height, rgb, options).Silhouette;
            AssertSame(name, s.IsBackground, s.Grid.Cols, s.Grid.Rows);
            compared++;
        }
        Assert.True(compared >= 40, $"{compared} photos");
    }

    [Theory]
    [InlineData(120, 160, 1)]
    [InlineData(64, 40, 2)]
    [InlineData(7, 9, 3)]
    [InlineData(1, 30, 4)]
    [InlineData(30, 1, 5)]
    [InlineData(107, 142, 6)]
    public void Runs_give_the_flood_fills_regions_on_random_masks(int cols, int rows, int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 40; round++)
        {
            var background = new bool[cols * rows];
            Array.Fill(background, true);
            // Blocks of every size (some touching the bottom, some equal), thin bands of backdrop across them, specks.
            for (var k = random.Next(1, 12); k > 0; k--)
            {
                int w = random.Next(1, cols + 1), h = random.Next(1, rows + 1), x = random.Next(cols - w + 1), y = random.Next(rows - h + 1);
                for (var r = y; r < y + h; r++) background.AsSpan(r * cols + x, w).Clear();
            }
            for (var k = random.Next(0, 4); k > 0; k--)
            {
                int y = random.Next(rows), h = random.Next(1, 6);
                for (var r = y; r < Math.Min(rows, y + h); r++) background.AsSpan(r * cols, cols).Fill(true);
            }
            for (var p = 0; p < background.Length; p++)
                if (random.NextDouble() < 0.02 * (round % 5)) background[p] = !background[p];
            AssertSame($"mask {round}", background, cols, rows);
        }
    }

    private static void AssertSame(string name, bool[] background, int cols, int rows)
    {
        var n = cols * rows;
        bool[] subject = new bool[n], island = new bool[n], expectedSubject = new bool[n], expectedIsland = new bool[n];
        // Stale values where the arrays are reused: every patch must be written.
        Array.Fill(subject, true);
        Array.Fill(island, true);
        SubjectRegions.Label(background, cols, rows, subject, island);
        FloodFill(background, cols, rows, expectedSubject, expectedIsland);
        Assert.True(expectedSubject.SequenceEqual(subject), $"{name}: person");
        Assert.True(expectedIsland.SequenceEqual(island), $"{name}: islands");
    }

    /// <summary>The silhouette's flood fill, patch by patch, before the runs (kept here as the reference).</summary>
    private static void FloodFill(bool[] IsBackground, int cols, int rows, bool[] IsSubject, bool[] IsIsland)
    {
        int stride = cols + 2;
        var padded = stride * (rows + 2);
        // 0: backdrop or border; -1: not backdrop, not labelled yet; 1, 2, …: region.
        var label = ArrayPool<int>.Shared.Rent(padded);
        var stack = ArrayPool<int>.Shared.Rent(cols * rows);
        try
        {
            Array.Clear(label, 0, padded);
            for (int r = 0, p = 0; r < rows; r++)
                for (int c = 0, w = (r + 1) * stride + 1; c < cols; c++, p++, w++)
                    if (!IsBackground[p]) label[w] = -1;

            var sizes = new List<int> { 0 };
            var touchesBottom = new List<bool> { false };
            var bottomRow = rows * stride; // padded positions from here on are the last row (or the border below it)
            for (var r = 0; r < rows; r++)
                for (int c = 0, start = (r + 1) * stride + 1; c < cols; c++, start++)
                {
                    if (label[start] != -1) continue;
                    var id = sizes.Count;
                    var size = 0;
                    var bottom = false;
                    var top = 0;
                    label[start] = id;
                    stack[top++] = start;
                    while (top > 0)
                    {
                        var w = stack[--top];
                        size++;
                        if (w >= bottomRow) bottom = true;
                        if (label[w - 1] == -1) { label[w - 1] = id; stack[top++] = w - 1; }
                        if (label[w + 1] == -1) { label[w + 1] = id; stack[top++] = w + 1; }
                        if (label[w - stride] == -1) { label[w - stride] = id; stack[top++] = w - stride; }
                        if (label[w + stride] == -1) { label[w + stride] = id; stack[top++] = w + stride; }
                    }
                    sizes.Add(size);
                    touchesBottom.Add(bottom);
                }

            var subject = 0;
            for (var id = 1; id < sizes.Count; id++)
                if (subject == 0 || (touchesBottom[id] && !touchesBottom[subject]) ||
                    (touchesBottom[id] == touchesBottom[subject] && sizes[id] > sizes[subject]))
                    subject = id;
            var person = JoinRestingRegions(label, stride, sizes.Count, subject, cols, rows);
            for (int r = 0, p = 0; r < rows; r++)
                for (int c = 0, w = (r + 1) * stride + 1; c < cols; c++, p++, w++)
                {
                    var id = label[w];
                    IsSubject[p] = id != 0 && person[id];
                    IsIsland[p] = id != 0 && !person[id];
                }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(label);
            ArrayPool<int>.Shared.Return(stack);
        }
    }

    private static bool[] JoinRestingRegions(int[] label, int stride, int regions, int subject, int cols, int rows)
    {
        var person = new bool[regions];
        if (subject == 0) return person;
        person[subject] = true;
        for (var changed = true; changed;)
        {
            changed = false;
            for (var c = 0; c < cols; c++)
            {
                var below = int.MaxValue; // rows since the last person patch, walking up the column
                for (var r = rows - 1; r >= 0; r--)
                {
                    var id = label[(r + 1) * stride + c + 1];
                    if (id == 0) { if (below != int.MaxValue) below++; continue; }
                    if (!person[id] && below <= SubjectRegions.MaxRestingGap)
                    {
                        person[id] = true;
                        changed = true;
                    }
                    below = person[id] ? 0 : int.MaxValue;
                }
            }
        }
        return person;
    }
}
