using CollectionWorker.Inspection;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>The silhouette's median by selection is the sorting median of <see cref="Stats.Median"/>, value for value.</summary>
public sealed class SilhouetteMedianTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 7)]
    [InlineData(4, 616)]
    [InlineData(5, 617)]
    [InlineData(6, 2000)]
    public void Selection_gives_the_nearest_rank_median(int seed, int length)
    {
        var random = new Random(seed);
        for (var round = 0; round < 50; round++)
        {
            // Few distinct values in some rounds (a plain backdrop repeats its colour), many in others.
            var distinct = round % 3 == 0 ? 3 : 1000;
            var values = Enumerable.Range(0, length).Select(_ => random.Next(distinct) * 0.37f - 20f).ToArray();
            var expected = Stats.Median((float[])values.Clone());
            Assert.Equal(expected, Silhouette.Median(values.AsSpan()));
        }
    }
}
