using CollectionWorker.Inspection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// A photo analysed into arrays an inspector reuses from photo to photo (<see cref="AnalysisBufferPool"/>) is the
/// same, to the bit, as one analysed into arrays of its own: on every photo of the pinned-verdict set (the 40 real
/// calibration photos, their derived defects, the drawn portraits), each into a set that last held another photo,
/// with photos of other sizes in between (their sets are dropped and remade).
/// </summary>
public sealed class AnalysisBuffersTests
{
    private static readonly InspectionOptions Options = new();

    [Fact]
    public void Reused_arrays_give_the_same_analysis_as_fresh_ones_photo_after_photo()
    {
        var photos = PinnedVerdictsTests.PinnedPhotos().Select(p => Decode(p.Name, p.Bytes)).ToList();
        // Every fifth photo shrunk to a grid of another shape: the pool must drop the 480x640 sets it meets and make new ones.
        for (var i = 4; i < photos.Count; i += 5) photos[i] = Shrunk(photos[i]);
        var pool = new AnalysisBufferPool();
        var reused = 0;
        Lab[]? last = null;
        PatchGrid.Shape? lastShape = null;
        // Forwards and then backwards: each set has held another photo (or another size) before the one compared.
        foreach (var (name, width, height, rgb) in photos.Concat(Enumerable.Reverse(photos)))
        {
            var fresh = new PhotoAnalysis(width, height, rgb, Options);
            using var pooled = new PhotoAnalysis(width, height, rgb, Options, pool);
            if (ReferenceEquals(pooled.Patches.Color, last)) reused++;
            else Assert.NotEqual(lastShape, PatchGrid.Shape.Of(width, height)); // the same shape as the last photo: its set, returned, comes back
            AssertSame(name, fresh, pooled);
            (last, lastShape) = (pooled.Patches.Color, PatchGrid.Shape.Of(width, height));
        }
        Assert.True(reused >= photos.Count, $"only {reused} of {2 * photos.Count} analyses reused a set");
    }

    [Fact]
    public void The_pool_hands_a_set_to_one_photo_at_a_time_and_only_of_its_shape()
    {
        var pool = new AnalysisBufferPool();
        var standard = PatchGrid.Shape.Of(480, 640);
        var a = pool.Rent(standard);
        var b = pool.Rent(standard);
        Assert.NotSame(a, b);
        Assert.Equal(120 * 160, a.Color.Length);
        pool.Return(a);
        Assert.Same(a, pool.Rent(standard));
        pool.Return(b);
        var other = pool.Rent(PatchGrid.Shape.Of(320, 426));
        Assert.NotSame(b, other);
        Assert.Equal(PatchGrid.Shape.Of(320, 426), other.Shape);
        Assert.Equal(other.Shape.Cols * other.Shape.Rows, other.IsBackground.Length);
    }

    [Fact]
    public void Photos_in_flight_on_several_threads_never_share_a_set()
    {
        var pool = new AnalysisBufferPool();
        var shape = PatchGrid.Shape.Of(480, 640);
        var inUse = new System.Collections.Concurrent.ConcurrentDictionary<AnalysisBuffers, int>(ReferenceEqualityComparer.Instance);
        var shared = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            var buffers = pool.Rent(shape);
            if (!inUse.TryAdd(buffers, 0)) Interlocked.Increment(ref shared);
            Thread.SpinWait(200); // held for a while, as a photo holds its set through the checks
            inUse.TryRemove(buffers, out var _);
            pool.Return(buffers);
        });
        Assert.Equal(0, shared);
    }

    private static void AssertSame(string name, PhotoAnalysis fresh, PhotoAnalysis pooled)
    {
        PatchGrid f = fresh.Patches, p = pooled.Patches;
        Assert.Equal((f.Size, f.Cols, f.Rows), (p.Size, p.Cols, p.Rows));
        var n = f.Cols * f.Rows;
        Assert.Equal(n, p.Color.Length); // exactly one entry per patch, as the checks' .Length expects
        // Bit patterns, not float equality: -0 and 0, or two NaNs, would hide a difference.
        Assert.True(f.Color.Select(Bits).SequenceEqual(p.Color.Select(Bits)), $"{name}: patch colours");
        Assert.True(f.LumaMean.Select(Bits).SequenceEqual(p.LumaMean.Select(Bits)), $"{name}: luma means");
        Assert.True(f.LumaStdDev.Select(Bits).SequenceEqual(p.LumaStdDev.Select(Bits)), $"{name}: luma spreads");
        Assert.Equal(f.ColOf, p.ColOf);
        Assert.Equal(f.RowOf, p.RowOf);

        Silhouette fs = fresh.Silhouette, ps = pooled.Silhouette;
        Assert.Equal(Bits(fs.Reference), Bits(ps.Reference));
        Assert.True(fs.IsBackground.SequenceEqual(ps.IsBackground), $"{name}: backdrop");
        Assert.True(fs.IsSubject.SequenceEqual(ps.IsSubject), $"{name}: person");
        Assert.True(fs.IsIsland.SequenceEqual(ps.IsIsland), $"{name}: islands");
        Assert.True(fs.Distance.SequenceEqual(ps.Distance), $"{name}: distances");
        Assert.Equal(n, ps.IsBackground.Length);
        Assert.Equal(n, ps.Distance.Length);
        Assert.Equal(fs.ShoulderRow, ps.ShoulderRow);
        Assert.Equal(BitConverter.SingleToInt32Bits(fs.HeadCentreX), BitConverter.SingleToInt32Bits(ps.HeadCentreX));

        BackgroundSample fb = fresh.Background, pb = pooled.Background;
        // The sample, patch by patch as the plain loop took it.
        var plain = Math.Min(n, fs.ShoulderRow * f.Cols);
        var backdrop = Enumerable.Range(0, plain).Where(q => fs.IsBackground[q]).ToList();
        Assert.Equal(backdrop.Where(q => fs.Distance[q] >= BackgroundSample.OutlineMargin), fb.Sample);
        Assert.Equal(backdrop.Where(q => fs.Distance[q] >= BackgroundSample.FarFromOutline), fb.Far);
        Assert.Equal(Enumerable.Range(0, plain).Count(q => !fs.IsSubject[q]), fb.PlainArea);
        Assert.Equal(fb.Sample, pb.Sample);
        Assert.Equal(fb.Far, pb.Far);
        Assert.Equal((fb.Found, fb.PlainArea, fb.Nearest), (pb.Found, pb.PlainArea, pb.Nearest));
        Assert.Equal(Bits(fb.Median), Bits(pb.Median));
        Assert.Equal(BitConverter.DoubleToInt64Bits(fb.DeltaE), BitConverter.DoubleToInt64Bits(pb.DeltaE));
        Assert.Equal((fresh.FaceRegion, fresh.HeadRegion, fresh.ChestBand), (pooled.FaceRegion, pooled.HeadRegion, pooled.ChestBand));
    }

    private static (string Name, int Width, int Height, byte[] Rgb) Decode(string name, byte[] bytes)
    {
        using var image = Image.Load<Rgb24>(bytes);
        return (name, image.Width, image.Height, Pixels(image));
    }

    private static (string Name, int Width, int Height, byte[] Rgb) Shrunk((string Name, int Width, int Height, byte[] Rgb) photo)
    {
        using var image = Image.LoadPixelData<Rgb24>(photo.Rgb, photo.Width, photo.Height);
        image.Mutate(x => x.Resize(photo.Width * 2 / 3, photo.Height * 2 / 3)); // 320x426: 3 px patches, 107 x 142
        return (photo.Name + " (shrunk)", image.Width, image.Height, Pixels(image));
    }

    private static byte[] Pixels(Image<Rgb24> image)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        return rgb;
    }

    private static (int, int, int) Bits(Lab c) =>
        (BitConverter.SingleToInt32Bits(c.L), BitConverter.SingleToInt32Bits(c.A), BitConverter.SingleToInt32Bits(c.B));

    private static int Bits(float v) => BitConverter.SingleToInt32Bits(v);
}
