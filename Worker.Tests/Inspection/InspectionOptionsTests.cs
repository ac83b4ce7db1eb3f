using CollectionWorker.Host;
using CollectionWorker.Inspection;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>The Inspection section: defaults are the standard's, and bad values are refused naming the key.</summary>
public sealed class InspectionOptionsTests : IDisposable
{
    private readonly PhotoFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<(int Code, string Err)> CheckConfig(string json)
    {
        var config = _folder.WriteConfig(json);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Cli.RunAsync(["check-config", "--config", config, "--data", Path.Combine(_folder.Path, "data")], stdout, stderr);
        return (code, stderr.ToString());
    }

    [Fact]
    public void Defaults_are_the_standards_numbers()
    {
        var o = new InspectionOptions();
        Assert.Equal((480, 640, 60, 300), (o.File.Width, o.File.Height, o.File.MinQuality, o.File.Dpi));
        Assert.Equal((20, 40), (o.File.TypicalMinKilobytes, o.File.TypicalMaxKilobytes));
        // One photo per core unless set.
        Assert.Equal(Environment.ProcessorCount, o.PhotosAtOnce);
        Assert.Equal(3, new InspectionOptions { Parallelism = 3 }.PhotosAtOnce);
        Assert.Equal(["light blue 100,197,255", "white 255,255,255", "light gray 240,240,240"],
            o.Background.AllowedColors.Select(c => $"{c.Name} {c.R},{c.G},{c.B}"));
    }

    [Fact]
    public async Task The_shipped_config_is_valid()
    {
        var shipped = File.ReadAllText(Path.Combine(PhotoFolder.RepositoryRoot(), "config", "appsettings.json"));
        var (code, err) = await CheckConfig(shipped);
        Assert.True(code == 0, err);
    }

    [Fact]
    public async Task Bad_limits_and_policies_are_refused_naming_the_key()
    {
        var (code, err) = await CheckConfig("""
            { "Inspection": {
                "Parallelism": -1,
                "File": { "MinQuality": 0, "TypicalMinKilobytes": 50, "TypicalMaxKilobytes": 40 },
                "Background": { "References": [ { "Name": "blue", "R": 300, "G": 0, "B": 0 } ] },
                "Light": { "MinFaceLightness": 90, "MaxFaceLightness": 80 },
                "Severity": { "BG_COLOUR": "reject", "BLUR": "maybe" } } }
            """);

        Assert.Equal(1, code);
        Assert.Contains("Inspection:Parallelism = -1 is out of range; allowed: 0 to 256", err);
        Assert.Contains("Inspection:File:MinQuality = 0 is out of range", err);
        Assert.Contains("Inspection:File:TypicalMaxKilobytes = 40 is below", err);
        Assert.Contains("Inspection:Background:References:0:R = 300", err);
        Assert.Contains("Inspection:Light:MaxFaceLightness = 80 is not above", err);
        Assert.Contains("Inspection:Severity:BG_COLOUR names no finding code", err);
        Assert.Contains("Inspection:Severity:BLUR = 'maybe' is not a severity; allowed: reject, review, info, off", err);
    }
}
