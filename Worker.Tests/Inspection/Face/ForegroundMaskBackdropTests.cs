using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Face;
using CollectionWorker.Tests.Inspection.RealFaces;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>
/// The silhouette mask's backdrop colour (its rows summed in vectors, side-by-side patches as one run) is the plain
/// mean of every pixel of the backdrop patches, added one by one, on every real calibration photo and on one whose
/// width is no multiple of the patch size (the last patch of a row clipped).
/// </summary>
public sealed class ForegroundMaskBackdropTests
{
    [Fact]
    public void The_backdrop_colour_is_the_plain_mean_of_the_backdrop_patches_pixels()
    {
        var options = new InspectionOptions();
        foreach (var p in CalibrationSet.All)
        {
            using var image = Image.Load<Rgb24>(p.File);
            foreach (var width in new[] { image.Width, image.Width - 3 })
            {
                var rgb = new byte[width * image.Height * 3];
                for (var y = 0; y < image.Height; y++)
                    image.Frames.RootFrame.DangerousGetPixelRowMemory(y).Span[..width].CopyTo(
                        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Rgb24>(rgb.AsSpan(y * width * 3, width * 3)));
                var photo = new PhotoAnalysis(width, image.Height, rgb, options);

                var mask = ForegroundMask.FromBackdrop(photo);

                Assert.NotNull(mask);
                Assert.Equal(PlainMean(photo), mask.Backdrop);
            }
        }
    }

    private static (int R, int G, int B) PlainMean(PhotoAnalysis photo)
    {
        var g = photo.Patches;
        long r = 0, gr = 0, b = 0, n = 0;
        foreach (var patch in photo.Background.Far.Count > 0 ? photo.Background.Far : photo.Background.Sample)
            for (var y = g.RowOf[patch] * g.Size; y < Math.Min((g.RowOf[patch] + 1) * g.Size, photo.Height); y++)
                for (var x = g.ColOf[patch] * g.Size; x < Math.Min((g.ColOf[patch] + 1) * g.Size, photo.Width); x++)
                {
                    var i = (y * photo.Width + x) * 3;
                    r += photo.Rgb[i];
                    gr += photo.Rgb[i + 1];
                    b += photo.Rgb[i + 2];
                    n++;
                }
        return ((int)(r / n), (int)(gr / n), (int)(b / n));
    }
}
