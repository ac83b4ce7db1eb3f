using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using Xunit;
using Xunit.Abstractions;

namespace CollectionWorker.Tests.Inspection.Face;

public sealed class ProbeTests(FaceDetectorFixture f, ITestOutputHelper output) : IClassFixture<FaceDetectorFixture>
{
    [Fact]
    public void Probe()
    {
        foreach (var (name, face) in new (string, SyntheticFace)[]
        {
            ("plain", new SyntheticFace()),
            ("roll10", new SyntheticFace { RollDegrees = 10 }),
            ("yaw20", new SyntheticFace { YawDegrees = 20 }),
            ("glasses", new SyntheticFace { Glasses = true }),
            ("small", new SyntheticFace { Others = [new SyntheticFace { CenterX = 410, EyeLineY = 90, FaceWidth = 70, Body = false }] }),
        })
        {
            using var img = face.RenderJpeg(f.Folder, name);
            img.SaveAsPng($"/tmp/face-probe-{name}.png");
            var faces = f.Detector.Detect(img);
            output.WriteLine($"{name}: {faces.Count} faces; truth {face.Truth}");
            foreach (var d in faces) output.WriteLine($"  {d.Model} {d.Score:F3} {d.Box} {d.Landmarks}");
        }
    }
}
