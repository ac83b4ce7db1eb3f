using CollectionWorker.Inspection.Face;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

public sealed class NetworkInputTests
{
    private static RgbPixels Uniform(int w, int h, byte r, byte g, byte b)
    {
        var rgb = new byte[w * h * 3];
        for (var i = 0; i < w * h; i++) (rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]) = (r, g, b);
        return new RgbPixels(rgb, w, h);
    }

    [Fact]
    public void Shrinking_a_uniform_photo_gives_its_colour_scaled_to_minus_one_to_one_and_black_bars_beside_it()
    {
        var tensor = new float[128 * 128 * 3];
        NetworkInput.Fill(Uniform(480, 640, 255, 0, 51), SquareRegion.Letterbox(480, 640), 128, tensor);

        // Centre: the photo's colour.
        var centre = (64 * 128 + 64) * 3;
        Assert.Equal(1f, tensor[centre], 4);
        Assert.Equal(-1f, tensor[centre + 1], 4);
        Assert.Equal(51 / 127.5f - 1, tensor[centre + 2], 4);
        // Left edge: the letterbox bar (80 of 640 px each side = 16 of 128).
        Assert.Equal(-1f, tensor[(64 * 128 + 2) * 3], 4);
        Assert.Equal(1f, tensor[(64 * 128 + 20) * 3], 4);
    }

    [Theory]
    [InlineData(480, 640)]
    [InlineData(481, 641)] // a side that is no multiple of 256: steps of 2.50390625 px
    [InlineData(640, 480)]
    [InlineData(900, 1200)]
    public void Both_inputs_from_one_pass_are_bit_for_bit_the_two_separate_ones(int w, int h)
    {
        // Noise: every cell's sum differs, so a cell summed over the wrong columns or rows shows.
        var rgb = new byte[w * h * 3];
        new Random(w * 7 + h).NextBytes(rgb);
        var image = new RgbPixels(rgb, w, h);
        var region = SquareRegion.Letterbox(w, h);
        float[] small = new float[128 * 128 * 3], large = new float[256 * 256 * 3];
        float[] smallAlone = new float[small.Length], largeAlone = new float[large.Length];

        Assert.True(NetworkInput.TryFillPair(image, region, 128, small, large));
        NetworkInput.Fill(image, region, 128, smallAlone);
        NetworkInput.Fill(image, region, 256, largeAlone);

        Assert.Equal(smallAlone, small);
        Assert.Equal(largeAlone, large);
    }

    [Fact]
    public void A_photo_too_small_to_shrink_to_256_is_left_to_the_separate_fills()
    {
        var small = new float[128 * 128 * 3];
        var large = new float[256 * 256 * 3];
        Assert.False(NetworkInput.TryFillPair(Uniform(200, 240, 10, 20, 30), SquareRegion.Letterbox(200, 240), 128, small, large));
        Assert.All(large, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Enlarging_a_small_crop_interpolates_between_pixels()
    {
        // Two columns: black then white; a 2x2 crop enlarged to 4x4 samples a quarter and three quarters of the way across.
        var rgb = new byte[] { 0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255 };
        var tensor = new float[4 * 4 * 3];
        NetworkInput.Fill(new RgbPixels(rgb, 2, 2), new SquareRegion(0, 0, 2), 4, tensor);

        float At(int x) => tensor[(1 * 4 + x) * 3];
        Assert.Equal(0.25f * 255 / 127.5f - 1, At(1), 3);
        Assert.Equal(0.75f * 255 / 127.5f - 1, At(2), 3);
    }

    [Fact]
    public void A_buffer_too_small_for_its_size_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new RgbPixels(new byte[10], 480, 640));
        Assert.Contains("480x640", e.Message);
    }
}
