using System.Diagnostics;
using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using Xunit.Abstractions;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>
/// Times the face stage on a decoded 480x640 photo and prints the median (see the test output);
/// the bound asserted is loose, to catch a gross regression (say a model run per anchor) on a
/// shared CI machine without failing on a busy one. The numbers for the README come from running
/// this test alone on one core (notes/README-face.md).
/// </summary>
[Collection(FaceCollection.Name)]
public sealed class FaceDetectionBenchmarkTests(FaceDetectorFixture f, ITestOutputHelper output)
{
    [Fact]
    public void Median_time_per_photo_is_reported()
    {
        using var image = new SyntheticFace().RenderJpeg(f.Folder, "benchmark");
        var pixels = RgbPixels.From(image);
        using var frontOnly = new FaceDetector(new FaceOptions { RefineLandmarks = false, FindSmallFaces = false });
        using var frontRefined = new FaceDetector(new FaceOptions { FindSmallFaces = false });

        var dir = BlazeFaceModelFiles.DefaultDirectory;
        using var net128 = BlazeFaceNetwork.Load(Path.Combine(dir, BlazeFaceModelFiles.FrontFileName), BlazeFaceModelFiles.FrontSha256, 128, 1);
        using var net256 = BlazeFaceNetwork.Load(Path.Combine(dir, BlazeFaceModelFiles.BackFileName), BlazeFaceModelFiles.BackSha256, 256, 1);
        var whole = SquareRegion.Letterbox(pixels.Width, pixels.Height);
        var tensor = new float[256 * 256 * 3];

        var jpeg = File.ReadAllBytes(Path.Combine(f.Folder, "benchmark.jpg"));

        var stages = new (string Name, Func<object> Run)[]
        {
            // For scale: the face stage's budget is counted against the photo's decode time (issue 4).
            ("JPEG decode 480x640 (ImageSharp), for scale", () => { using var decoded = Image.Load<Rgb24>(jpeg); return decoded.Width; }),
            ("letterbox input 128", () => { NetworkInput.Fill(pixels, whole, 128, tensor); return tensor; }),
            ("letterbox input 256", () => { NetworkInput.Fill(pixels, whole, 256, tensor); return tensor; }),
            ("one 128 pass (input + inference + decoding)", () => net128.Detect(pixels, whole, 0.5f)),
            ("one 256 pass (input + inference + decoding)", () => net256.Detect(pixels, whole, 0.5f)),
            ("128 model only", () => frontOnly.Detect(pixels)),
            ("128 model + crop refinement", () => frontRefined.Detect(pixels)),
            ("full stage (128 + refinement + 256)", () => f.Detector.Detect(pixels)),
            ("full stage + measurement + rules", () => FaceRules.Evaluate(FaceGeometry.Measure(f.Detector.Detect(pixels), pixels.Width, pixels.Height), new FaceOptions())),
        };

        const int warmUp = 10, runs = 100;
        double fullMedian = 0;
        foreach (var (name, run) in stages)
        {
            for (var i = 0; i < warmUp; i++) run();
            var times = new double[runs];
            // Processor time as well as wall time: on a machine shared with other builds the wall
            // clock also counts the time spent waiting for a core, the processor time does not.
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < runs; i++)
            {
                var start = Stopwatch.GetTimestamp();
                run();
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / runs;
            Array.Sort(times);
            var median = times[runs / 2];
            output.WriteLine($"{name}: median {median:0.00} ms, p10 {times[runs / 10]:0.00} ms, p90 {times[runs * 9 / 10]:0.00} ms, processor {cpu:0.00} ms per run, over {runs} runs");
            if (name.StartsWith("full stage (")) fullMedian = median;
        }

        Assert.InRange(fullMedian, 0, 100);
    }
}
