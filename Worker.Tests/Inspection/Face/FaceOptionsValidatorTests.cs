using CollectionWorker.Inspection.Face;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

public sealed class FaceOptionsValidatorTests
{
    private static IEnumerable<string> Errors(FaceOptions o) =>
        new FaceOptionsValidator().Validate(null, o).Failures ?? [];

    [Fact]
    public void The_defaults_are_the_standard_and_valid()
    {
        var o = new FaceOptions();
        Assert.Empty(Errors(o));
        Assert.Equal((50, 110), (o.HeadTopMinPx, o.HeadTopMaxPx));
        Assert.Equal((200, 300), (o.EyeLineMinPx, o.EyeLineMaxPx));
        Assert.Equal((180, 300), (o.FaceWidthMinPx, o.FaceWidthMaxPx));
    }

    [Theory]
    [InlineData("Threads", "Inspection:Face:Threads = 0")]
    [InlineData("ScoreThreshold", "Inspection:Face:ScoreThreshold = 1.5")]
    [InlineData("EyeLine", "Inspection:Face:EyeLineMinPx = 320 and Inspection:Face:EyeLineMaxPx = 300")]
    [InlineData("FaceWidth", "Inspection:Face:FaceWidthMinPx = 180 and Inspection:Face:FaceWidthMaxPx = 900")]
    [InlineData("Roll", "Inspection:Face:MaxRollDegrees = -1")]
    [InlineData("Proportion", "Inspection:Face:ProportionMin = 1.2 and Inspection:Face:ProportionMax = 1.06")]
    public void A_bad_value_is_named_with_its_key_and_value(string what, string expected)
    {
        var o = what switch
        {
            "Threads" => new FaceOptions { Threads = 0 },
            "ScoreThreshold" => new FaceOptions { ScoreThreshold = 1.5 },
            "EyeLine" => new FaceOptions { EyeLineMinPx = 320 },
            "FaceWidth" => new FaceOptions { FaceWidthMaxPx = 900 },
            "Roll" => new FaceOptions { MaxRollDegrees = -1 },
            "Proportion" => new FaceOptions { ProportionMin = 1.2 },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };
        var error = Assert.Single(Errors(o));
        Assert.StartsWith(expected, error);
        Assert.Contains("allowed", error);
    }
}
