using System.Diagnostics;
using CollectionWorker.Inspection;
using SixLabors.ImageSharp.Processing;
using Xunit;

namespace CollectionWorker.Tests.Inspection;

/// <summary>Mutated JPEGs (flipped bytes, cut files, damaged marker lengths, spliced junk) never crash or hang the inspection.</summary>
public sealed class FuzzTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void A_thousand_and_more_mutated_jpegs_neither_crash_nor_hang()
    {
        // A small portrait keeps 1,200 decodes within a few seconds; the parser and decoder paths are the same.
        var spec = new PortraitSpec { Width = 120, Height = 160 };
        var image = PortraitGenerator.Render(spec);
        var seedFiles = new[]
        {
            PortraitGenerator.Jpeg(spec),
            PortraitGenerator.Encode(PortraitGenerator.Render(spec), spec, SixLabors.ImageSharp.Formats.Jpeg.JpegColorType.YCbCrRatio444),
            TinyJpegWriter.Write(120, 160, 3, (c, x, y) => 60 + 9 * x + c * 20, progressive: true),
            TinyJpegWriter.Write(120, 160, 4, (c, x, y) => 30 + 7 * y, adobe: true),
        };
        image.Dispose();
        var inspector = PhotoInspector.CreateDefault();
        var rng = new Random(20260501);
        var slowest = TimeSpan.Zero;
        var damaged = 0;
        var total = Stopwatch.StartNew();

        for (var i = 0; i < 1200; i++)
        {
            var bytes = Mutate(seedFiles[i % seedFiles.Length], rng);
            var sw = Stopwatch.StartNew();
            var result = inspector.Inspect(bytes, $"fuzz-{i}.jpg", annotate: i % 50 == 0);
            sw.Stop();
            if (sw.Elapsed > slowest) slowest = sw.Elapsed;
            if (result.Findings.Any(f => f.Code is FileFindings.Corrupt or FileFindings.Truncated or FileFindings.NotJpeg)) damaged++;
            Assert.All(result.Findings, f => Assert.True(inspector.Catalog.Knows(f.Code)));
        }

        output.WriteLine($"1,200 mutated files in {total.Elapsed.TotalSeconds:0.0} s, slowest {slowest.TotalMilliseconds:0} ms, {damaged} reported as damaged");
        // Generous bounds for a busy 2-core machine; a hang would take forever, a normal file milliseconds.
        Assert.True(slowest < TimeSpan.FromSeconds(3), $"one mutated file took {slowest.TotalMilliseconds:0} ms");
        Assert.True(total.Elapsed < TimeSpan.FromSeconds(60), $"1,200 files took {total.Elapsed.TotalSeconds:0.0} s");
        Assert.True(damaged > 300, $"only {damaged} of 1,200 mutations were reported as damaged files");
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        var b = (byte[])original.Clone();
        switch (rng.Next(6))
        {
            case 0: // flip a few bytes anywhere
                for (var k = rng.Next(1, 12); k > 0; k--) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                return b;
            case 1: // flip bytes in the header, where markers and tables live
                for (var k = rng.Next(1, 6); k > 0; k--) b[rng.Next(Math.Min(b.Length, 700))] = (byte)rng.Next(256);
                return b;
            case 2: // cut anywhere
                return b[..rng.Next(1, b.Length)];
            case 3: // damage a marker's length field
                var markers = Enumerable.Range(2, b.Length - 4).Where(i => b[i] == 0xFF && b[i + 1] is >= 0xC0 and <= 0xFE and not 0xD8 and not 0xD9).ToList();
                if (markers.Count == 0) return b;
                var m = markers[rng.Next(markers.Count)];
                b[m + 2] = (byte)rng.Next(256);
                b[m + 3] = (byte)rng.Next(256);
                return b;
            case 4: // splice random junk into the middle
                var at = rng.Next(2, b.Length);
                var junk = new byte[rng.Next(1, 400)];
                rng.NextBytes(junk);
                return [.. b[..at], .. junk, .. b[at..]];
            default: // overwrite a run with 0xFF (fill bytes and fake markers)
                var start = rng.Next(2, b.Length);
                for (var k = start; k < Math.Min(b.Length, start + rng.Next(1, 64)); k++) b[k] = 0xFF;
                return b;
        }
    }
}
