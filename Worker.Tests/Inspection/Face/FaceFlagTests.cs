using CollectionWorker.Inspection;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>The best-effort review flags in the full pipeline: each drawn defect raises its flag and no other flag; compliant faces of every skin tone raise none.</summary>
public class FaceFlagTests
{
    public static TheoryData<string, PortraitSpec, string?> Cases => new()
    {
        { "compliant", new PortraitSpec(), null },
        { "dark skin", new PortraitSpec { Skin = new Rgb(120, 80, 58), Seed = 3 }, null },
        { "pale skin", new PortraitSpec { Skin = new Rgb(238, 210, 195), Seed = 4 }, null },
        { "brown skin", new PortraitSpec { Skin = new Rgb(180, 130, 100), Seed = 5 }, null },
        { "white backdrop", new PortraitSpec { Background = new Rgb(255, 255, 255), Seed = 6 }, null },
        { "soft photo", new PortraitSpec { BlurSigma = 2 }, null },
        { "long hair and stray hairs", new PortraitSpec { LongHair = true, FlyawayHairs = 40 }, null },
        { "glasses", new PortraitSpec { Glasses = true }, "FACE_GLASSES" },
        { "eyes closed", new PortraitSpec { EyesClosed = true }, "FACE_EYES_CLOSED" },
        { "hair over the eyes", new PortraitSpec { HairOverEyes = true }, "FACE_HAIR_OVER_EYES" },
        { "hair over the ears", new PortraitSpec { HairOverEars = true }, "FACE_HAIR_OVER_EARS" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_flag_fires_on_its_defect_alone(string name, PortraitSpec spec, string? expected)
    {
        using var host = new TestHost();
        using var app = await host.BuildAsync();
        var inspector = app.Services.GetRequiredService<PhotoInspector>();

        // Only the flags: the drawn face sits near the standard's lower face-width limit, which the
        // geometry tests cover on their own.
        string[] flags = ["FACE_GLASSES", "FACE_EYES_CLOSED", "FACE_HAIR_OVER_EYES", "FACE_HAIR_OVER_EARS"];
        var faceCodes = inspector.Inspect(PortraitGenerator.Jpeg(spec), name + ".jpg").Findings
            .Where(f => flags.Contains(f.Code)).ToList();

        Assert.Equal(expected is null ? [] : [expected], faceCodes.Select(f => f.Code).ToArray());
        Assert.All(faceCodes, f => Assert.Equal(Severity.Review, f.Severity)); // best effort: a person decides
    }
}
