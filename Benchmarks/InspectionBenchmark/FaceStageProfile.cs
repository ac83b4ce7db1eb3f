using System.Buffers;
using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

/// <summary>
/// Stopwatch sections over the steps of one inspection, in the order the inspector and the face check
/// take them, each on its own (median ms per photo and as a ratio to the decode): where the time goes.
/// </summary>
public static class FaceStageProfile
{
    public static void Run(IReadOnlyList<(string Name, byte[] Bytes)> files, string modelDirectory, int rounds)
    {
        var jpegOnly = new Configuration(new JpegConfigurationModule());
        using var front = BlazeFaceNetwork.Load(Path.Combine(modelDirectory, BlazeFaceModelFiles.FrontFileName), BlazeFaceModelFiles.FrontSha256, 128, 1);
        using var back = BlazeFaceNetwork.Load(Path.Combine(modelDirectory, BlazeFaceModelFiles.BackFileName), BlazeFaceModelFiles.BackSha256, 256, 1);
        var options = new InspectionOptions();
        var checks = PhotoInspector.BuiltInChecks();
        var catalog = new FindingCatalog(PhotoInspector.AllDefinitions(checks), options.Severity);
        var buffers = new AnalysisBufferPool(); // as the inspector runs it: one photo's arrays reused for the next
        var sections = new Dictionary<string, List<double>>();
        var order = new List<string>();
        var warm = false;
        var perCheck = new Dictionary<string, List<double>>(); // the image checks one by one, in the order they run
        var lookedAt = 0;
        T Time<T>(string name, Func<T> f)
        {
            var t0 = CpuClock.NowMs();
            var v = f();
            var t = CpuClock.NowMs() - t0;
            if (!sections.TryGetValue(name, out var list)) { sections[name] = list = []; order.Add(name); }
            if (warm) list.Add(t);
            return v;
        }

        for (var r = 0; r < rounds + 1; r++, warm = true) // the first round only warms up
            foreach (var (name, bytes) in files)
            {
                var (w, h, rgb) = Time("decode (ImageSharp Rgb24 + copy out)", () =>
                {
                    using var image = Image.Load<Rgb24>(jpegOnly, bytes);
                    var buffer = ArrayPool<byte>.Shared.Rent(image.Width * image.Height * 3);
                    image.Frames.RootFrame.CopyPixelDataTo(buffer.AsSpan(0, image.Width * image.Height * 3));
                    return (image.Width, image.Height, buffer);
                });
                using var photo = Time("patch grid + silhouette + backdrop", () => new PhotoAnalysis(w, h, rgb, options, buffers));
                Time("image checks (11)", () =>
                {
                    var sink = new FindingSink(catalog);
                    foreach (var c in checks)
                    {
                        var c0 = CpuClock.NowMs();
                        c.Run(photo, sink);
                        if (warm) (perCheck.TryGetValue(c.GetType().Name, out var l) ? l : perCheck[c.GetType().Name] = []).Add(CpuClock.NowMs() - c0);
                    }
                    return 0;
                });
                var pixels = new RgbPixels(rgb, w, h);
                var whole = SquareRegion.Letterbox(w, h);
                var input128 = new float[128 * 128 * 3];
                Time("128 input (area shrink)", () => { NetworkInput.Fill(pixels, whole, 128, input128); return 0; });
                var found = Time("128 network, whole photo (incl. input)", () => WeightedNms.Merge(front.Detect(pixels, whole, 0.5f), 0.3f));
                foreach (var face in found)
                {
                    var crop = SquareRegion.Around(face.Box.CenterX, face.Box.CenterY, MathF.Max(face.Box.Width, face.Box.Height) * 2);
                    Time("128 input of the crop (area shrink)", () => { NetworkInput.Fill(pixels, crop, 128, input128); return 0; });
                    Time("128 network, second pass on the crop (incl. input)", () => WeightedNms.Merge(front.Detect(pixels, crop, 0.5f), 0.3f));
                }
                var asDetected = found.Select(f => new DetectedFace(f.Box, f.Score, f.Landmarks, FaceModelKind.Front128)).ToList();
                var room = Time("room for another face (the 256 network runs only if > 0)", () => SecondFaceRoom.RoomForAnotherFace(photo.Silhouette, asDetected));
                if (room > 0) lookedAt++;
                var input256 = new float[256 * 256 * 3];
                Time("256 input (area shrink)", () => { NetworkInput.Fill(pixels, whole, 256, input256); return 0; });
                Time("256 network, whole photo (incl. input)", () => WeightedNms.Merge(back.Detect(pixels, whole, 0.5f), 0.3f));
                Time("both inputs in one pass (as the detector fills them)", () => NetworkInput.TryFillPair(pixels, whole, 128, input128, input256));
                var facePixels = new FacePixels(rgb, w, h);
                if (found.Count > 0)
                {
                    var refined = Time("eye refinement (iris, limbus)", () => EyeLocator.Refine(facePixels, found[0].Landmarks));
                    var mask = Time("silhouette mask", () => ForegroundMask.FromBackdrop(photo));
                    var faces = new List<DetectedFace> { new(found[0].Box, found[0].Score, refined, FaceModelKind.Front128) };
                    Time("geometry (head top, shoulders)", () => FaceGeometry.Measure(faces, w, h, mask));
                    Time("flags (glasses, eyes, hair, ears, teeth, lips)", () => FaceFlagMeasurements.Measure(facePixels, refined, found[0].Landmarks, photo.Background.Median));
                }
                ArrayPool<byte>.Shared.Return(rgb);
            }

        var decode = Median(sections[order[0]]);
        Console.WriteLine($"where the time goes, one core, {rounds} rounds x {files.Count} photos, {(CpuClock.IsThreadCpu ? "thread CPU time" : "wall clock")} " +
            "(median ms per photo; x = ratio to the decode):");
        foreach (var name in order)
        {
            var m = Median(sections[name]);
            Console.WriteLine($"  {name,-52} {m,7:0.000} ms  {m / decode,5:0.00}x  (n={sections[name].Count})");
            if (name == "image checks (11)")
                foreach (var (check, times) in perCheck)
                    Console.WriteLine($"    {check,-50} {Median(times),7:0.000} ms  {Median(times) / decode,5:0.00}x  " +
                        $"(rounds {RoundRange(times, sections[order[0]], rounds)})");
        }
        Console.WriteLine($"  the 256 network would run on {lookedAt / (rounds + 1)} of {files.Count} photos (the profile times it on every photo)");
    }

    /// <summary>The lowest and highest ratio of one round's median to that round's median decode: how steady a small figure is.</summary>
    private static string RoundRange(List<double> v, List<double> decode, int rounds)
    {
        int perRound = v.Count / rounds, decodes = decode.Count / rounds;
        var medians = Enumerable.Range(0, rounds)
            .Select(r => Median(v.GetRange(r * perRound, perRound)) / Median(decode.GetRange(r * decodes, decodes))).ToList();
        return $"{medians.Min():0.000}x–{medians.Max():0.000}x";
    }

    private static double Median(List<double> v)
    {
        var s = v.Order().ToList();
        return s[s.Count / 2];
    }
}
