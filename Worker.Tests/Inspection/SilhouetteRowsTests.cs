using CollectionWorker.Inspection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// The silhouette's row measures, counted and searched with vectors, equal the patch-by-patch loops they replaced
/// on every photo of the pinned-verdict set: the shoulder row (the first row at least 75% person from 40% of the
/// height down, else the first at 55%) and the head's centre (median of the person's middle per row from 25% to
/// 50% of the height, above the shoulders). The hard shadows joined after the shoulder row only narrow rows above
/// it, so the row found from the final silhouette is the one found before them.
/// </summary>
public sealed class SilhouetteRowsTests
{
    [Fact]
    public void Shoulder_row_and_head_centre_equal_the_patch_by_patch_loops_on_every_pinned_photo()
    {
        var options = new InspectionOptions();
        foreach (var (name, bytes) in PinnedVerdictsTests.PinnedPhotos())
        {
            using var image = Image.Load<Rgb24>(bytes);
            var rgb = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(rgb);
            var s = new PhotoAnalysis(image.Width, image.Height, rgb, options).Silhouette;
            Assert.True(ShoulderRow(s) == s.ShoulderRow, $"{name}: shoulder row {s.ShoulderRow}, the loop finds {ShoulderRow(s)}");
            Assert.True(BitConverter.SingleToInt32Bits(HeadCentre(s)) == BitConverter.SingleToInt32Bits(s.HeadCentreX),
                $"{name}: head centre {s.HeadCentreX}, the loop finds {HeadCentre(s)}");
        }
    }

    private static int ShoulderRow(Silhouette s)
    {
        var g = s.Grid;
        int? wide = null, medium = null;
        for (var r = (int)(g.Rows * 0.4); r < g.Rows; r++)
        {
            var width = 0;
            for (var c = 0; c < g.Cols; c++) if (s.IsSubject[g.Index(c, r)]) width++;
            if (width >= 0.75 * g.Cols) { wide = r; break; }
            if (medium is null && width >= 0.55 * g.Cols) medium = r;
        }
        return wide ?? medium ?? (int)(g.Rows * 0.75);
    }

    private static float HeadCentre(Silhouette s)
    {
        var g = s.Grid;
        var centres = new List<float>();
        for (var r = (int)(g.Rows * 0.25); r < Math.Min(s.ShoulderRow, (int)(g.Rows * 0.5)); r++)
        {
            int left = -1, right = -1;
            for (var c = 0; c < g.Cols; c++)
                if (s.IsSubject[g.Index(c, r)])
                {
                    if (left < 0) left = c;
                    right = c;
                }
            if (left >= 0) centres.Add((left + right + 1) * g.Size / 2f);
        }
        return centres.Count > 0 ? Stats.Median(centres.ToArray()) : g.Cols * g.Size / 2f;
    }
}
