using CollectionWorker.Inspection;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// The seam for more checks (the face, issue 5): one more <see cref="IPhotoCheck"/> brings its codes,
/// runs in order over the same analysis, may refine the regions later checks use, and a failing
/// check sends the photo to a person instead of losing it.
/// </summary>
public sealed class CheckSeamTests
{
    private sealed class RegionCheck : IPhotoCheck
    {
        public int Order => 50;
        public IReadOnlyList<FindingDefinition> Definitions { get; } =
            [new("TEST_FACE", Severity.Review, "测试", "test")];

        public void Run(PhotoAnalysis photo, FindingSink findings)
        {
            photo.FaceRegion = new PixelRect(200, 240, 80, 100);
            photo.Evidence.Region(photo.FaceRegion, Rgb.Magenta, "TEST FACE");
            findings.Add("TEST_FACE", "1 face", "exactly 1");
        }
    }

    private sealed class ThrowingCheck : IPhotoCheck
    {
        public int Order => 150;
        public IReadOnlyList<FindingDefinition> Definitions { get; } = [];
        public void Run(PhotoAnalysis photo, FindingSink findings) => throw new InvalidOperationException("bug");
    }

    [Fact]
    public void A_new_check_adds_its_codes_and_runs_before_the_light_checks()
    {
        var check = new RegionCheck();
        var inspector = new PhotoInspector(new InspectionOptions(), [.. PhotoInspector.BuiltInChecks(), check]);

        var result = inspector.Inspect(PortraitGenerator.Jpeg(new PortraitSpec()), "p.jpg");

        Assert.Equal(Severity.Review, result.Findings.Single(f => f.Code == "TEST_FACE").Severity);
        Assert.True(inspector.Catalog.Knows("TEST_FACE"));
        Assert.NotNull(result.AnnotatedPng);
    }

    [Fact]
    public void A_failing_check_flags_the_photo_for_a_person()
    {
        var inspector = new PhotoInspector(new InspectionOptions(), [.. PhotoInspector.BuiltInChecks(), new ThrowingCheck()]);

        var result = inspector.Inspect(PortraitGenerator.Jpeg(new PortraitSpec()), "p.jpg");

        Assert.Equal(Verdict.Review, result.Verdict);
        Assert.Equal("ThrowingCheck", result.Findings.Single(f => f.Code == PhotoInspector.CheckFailed).Value);
    }
}
