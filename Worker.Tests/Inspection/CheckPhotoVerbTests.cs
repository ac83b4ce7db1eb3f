using System.Text.Json;
using CollectionWorker.Host;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>check-photo through the real command line: JSON shape (CLI.md), table, evidence files, exit codes, no store.</summary>
public sealed class CheckPhotoVerbTests : IDisposable
{
    private readonly PhotoFolder _folder = new();
    private readonly string _config;
    private readonly string _data;

    public CheckPhotoVerbTests()
    {
        _config = _folder.WriteConfig("{}");
        _data = Path.Combine(_folder.Path, "data");
    }

    public void Dispose() => _folder.Dispose();

    private async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        // Verb first, then the test's folders, then the arguments under test (so a trailing option stays trailing).
        var code = await Cli.RunAsync([args[0], "--config", _config, "--data", _data, .. args[1..]], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string Photo(string name, PortraitSpec spec) => PortraitGenerator.Save(spec, _folder.Path, name);

    [Fact]
    public async Task Json_for_one_file_is_one_object_in_the_contract_shape()
    {
        var file = Photo("2020123456.jpg", new PortraitSpec { Background = new(67, 142, 219) });

        var (code, output, _) = await Run("check-photo", file, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal("2020123456.jpg", root.GetProperty("file").GetString());
        Assert.Equal("reject", root.GetProperty("verdict").GetString());
        var finding = root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "BG_COLOR");
        Assert.Equal(["code", "severity", "value", "limit", "message_zh", "message_en"], finding.EnumerateObject().Select(p => p.Name));
        Assert.Equal("reject", finding.GetProperty("severity").GetString());
        Assert.Contains("背景", finding.GetProperty("message_zh").GetString());
        Assert.False(Directory.Exists(_data), "check-photo records nothing and needs no data directory");
    }

    [Fact]
    public async Task Many_files_inspected_on_every_core_come_back_in_the_order_given_and_as_one_core_sees_them()
    {
        PortraitSpec[] specs =
        [
            new(), new() { Stripes = 14 }, new() { Background = new(67, 142, 219) }, new() { BlurSigma = 3 }, new() { Shadow = 0.3 },
            new() { Background = new(255, 255, 255) }, new() { HotSpot = true }, new() { Clothing = new(30, 50, 120) },
        ];
        // Names out of alphabetical order, and one missing file in the middle, which is named and skipped.
        var files = specs.Select((s, i) => Photo($"{(char)('h' - i)}-{i}.jpg", s with { Seed = i })).ToList();
        files.Insert(4, Path.Combine(_folder.Path, "missing.jpg"));

        var oneCore = _folder.WriteConfig("""{ "Inspection": { "Parallelism": 1 } }""");
        var stdout = new StringWriter();
        Assert.Equal(1, await Cli.RunAsync(["check-photo", "--config", oneCore, "--data", _data, .. files, "--json"], stdout, new StringWriter()));
        var fourAtOnce = _folder.WriteConfig("""{ "Inspection": { "Parallelism": 4 } }""");
        var parallel = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(1, await Cli.RunAsync(["check-photo", "--config", fourAtOnce, "--data", _data, .. files, "--json"], parallel, stderr));

        using var json = JsonDocument.Parse(parallel.ToString());
        Assert.Equal(files.Where(f => !f.EndsWith("missing.jpg")).Select(Path.GetFileName),
            json.RootElement.EnumerateArray().Select(e => e.GetProperty("file").GetString()));
        Assert.Equal(stdout.ToString(), parallel.ToString());
        Assert.Contains("missing.jpg", stderr.ToString());
    }

    [Fact]
    public async Task Several_files_give_an_array_and_one_evidence_png_each_in_the_out_folder()
    {
        var good = Photo("good.jpg", new PortraitSpec());
        var striped = Photo("striped.jpg", new PortraitSpec { Stripes = 14 });
        var outDir = Path.Combine(_folder.Path, "evidence");

        var (code, output, _) = await Run("check-photo", good, striped, "--json", "--annotate", outDir);

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(["accept", "review"], json.RootElement.EnumerateArray().Select(e => e.GetProperty("verdict").GetString()));
        Assert.True(File.Exists(Path.Combine(outDir, "good.annotated.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "striped.annotated.png")));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(outDir, "striped.annotated.png"))[..4]);
    }

    [Fact]
    public async Task One_file_with_annotate_writes_exactly_that_png()
    {
        var file = Photo("one.jpg", new PortraitSpec { Shadow = 0.3 });
        var target = Path.Combine(_folder.Path, "out", "shadow-evidence.png");

        var (code, _, _) = await Run("check-photo", file, "--annotate", target);

        Assert.Equal(0, code);
        Assert.True(File.Exists(target));
    }

    [Fact]
    public async Task The_table_shows_code_severity_value_limit_and_message()
    {
        var file = Photo("table.jpg", new PortraitSpec { BlurSigma = 3 });

        var (code, output, _) = await Run("check-photo", file);

        Assert.Equal(0, code);
        Assert.Contains("table.jpg: review", output);
        Assert.Contains("BLUR", output);
        Assert.Contains("Laplacian variance", output);
        Assert.Contains("照片模糊", output);
    }

    [Fact]
    public async Task A_rejected_photo_is_still_exit_0_but_a_missing_file_is_exit_1()
    {
        var bad = _folder.Write("bad.jpg", [1, 2, 3]);

        var inspected = await Run("check-photo", bad);
        var missing = await Run("check-photo", bad, Path.Combine(_folder.Path, "nope.jpg"));

        Assert.Equal(0, inspected.Code);
        Assert.Contains("FILE_NOT_JPEG", inspected.Out);
        Assert.Equal(1, missing.Code);
        Assert.Contains("nope.jpg", missing.Err);
        Assert.Contains("bad.jpg: reject", missing.Out);
    }

    [Theory]
    [InlineData("check-photo")]
    [InlineData("status", "--annotate", "x.png")]
    [InlineData("check-photo", "a.jpg", "--annotate")]
    public async Task Wrong_usage_is_exit_2(params string[] args)
    {
        var (code, _, err) = await Run(args);
        Assert.Equal(2, code);
        Assert.Contains("error:", err);
    }
}
