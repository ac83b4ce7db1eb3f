using CollectionWorker.Inspection;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>The colour maths the background verdict rests on, against published reference values.</summary>
public sealed class ColorTests
{
    [Theory]
    // Sharma, Wu, Dalal (2005), CIEDE2000 test data, pairs 1, 7, 17 and 25.
    [InlineData(50, 2.6772, -79.7751, 50, 0, -82.7485, 2.0425)]
    [InlineData(50, 0, 0, 50, -1, 2, 2.3669)]
    [InlineData(50, 2.5, 0, 56, -27, -3, 31.9030)]
    [InlineData(60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644)]
    public void Ciede2000_matches_the_reference_data(double l1, double a1, double b1, double l2, double a2, double b2, double expected)
    {
        var d = Lab.DeltaE2000(new Lab((float)l1, (float)a1, (float)b1), new Lab((float)l2, (float)a2, (float)b2));
        Assert.Equal(expected, d, 3);
    }

    [Theory]
    [InlineData(255, 255, 255, 100, 0, 0)]
    [InlineData(255, 0, 0, 53.24, 80.09, 67.20)]
    [InlineData(0, 0, 255, 32.30, 79.19, -107.86)]
    [InlineData(100, 197, 255, 75.98, -11.85, -37.06)]
    public void Srgb_to_lab_matches_the_reference(int r, int g, int b, double l, double a, double bb)
    {
        var lab = ColorSpace.ToLab(r, g, b);
        Assert.InRange(lab.L, l - 0.3, l + 0.3);
        Assert.InRange(lab.A, a - 0.3, a + 0.3);
        Assert.InRange(lab.B, bb - 0.3, bb + 0.3);
    }
}
