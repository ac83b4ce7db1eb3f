using CollectionWorker.Inspection;
using CollectionWorker.Tests.Inspection.RealFaces;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// The patch grid's vector paths (the pixel sums of 4x4 patches, the CIELAB conversion of several
/// patches at once) give exactly the scalar path's numbers, to the bit, on every real calibration photo
/// and on sizes whose last patches are partial (they mix both paths in one grid).
/// </summary>
public sealed class PatchGridVectorTests
{
    public static TheoryData<string> Photos() => CalibrationSet.Names();

    [Theory]
    [MemberData(nameof(Photos))]
    public void Vector_grid_equals_the_scalar_grid_on_every_calibration_photo(string name)
    {
        using var image = Image.Load<Rgb24>(CalibrationSet.Get(name).Bytes());
        AssertSameGrid(image);
    }

    [Theory]
    [InlineData(478, 637)] // 4 px patches, the last column and row partial
    [InlineData(470, 640)] // 4 px patches, two columns past the last group of four
    [InlineData(250, 333)] // 2 px patches
    [InlineData(720, 960)] // 6 px patches
    public void Vector_grid_equals_the_scalar_grid_at_other_sizes(int width, int height)
    {
        using var image = Image.Load<Rgb24>(CalibrationSet.Get("london_118_neutral.jpg").Bytes());
        image.Mutate(x => x.Resize(width, height));
        AssertSameGrid(image);
    }

    private static void AssertSameGrid(Image<Rgb24> image)
    {
        var rgb = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(rgb);
        var vector = new PatchGrid(image.Width, image.Height, rgb, vector: true);
        var scalar = new PatchGrid(image.Width, image.Height, rgb, vector: false);
        Assert.Equal((scalar.Size, scalar.Cols, scalar.Rows), (vector.Size, vector.Cols, vector.Rows));
        for (var p = 0; p < scalar.Color.Length; p++)
        {
            // Bit patterns, not float equality: -0 and 0, or two NaNs, would hide a difference.
            Assert.True(Bits(scalar.Color[p].L) == Bits(vector.Color[p].L) && Bits(scalar.Color[p].A) == Bits(vector.Color[p].A)
                        && Bits(scalar.Color[p].B) == Bits(vector.Color[p].B), $"colour of patch {p}: {scalar.Color[p]} vs {vector.Color[p]}");
            Assert.True(Bits(scalar.LumaMean[p]) == Bits(vector.LumaMean[p]), $"luma mean of patch {p}: {scalar.LumaMean[p]} vs {vector.LumaMean[p]}");
            Assert.True(Bits(scalar.LumaStdDev[p]) == Bits(vector.LumaStdDev[p]), $"luma spread of patch {p}: {scalar.LumaStdDev[p]} vs {vector.LumaStdDev[p]}");
        }
        Assert.Equal(scalar.ColOf, vector.ColOf);
        Assert.Equal(scalar.RowOf, vector.RowOf);
    }

    private static int Bits(float v) => BitConverter.SingleToInt32Bits(v);
}
