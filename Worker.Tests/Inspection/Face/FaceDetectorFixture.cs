using CollectionWorker.Inspection.Face;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>One detector (the real models from the build output) and one temp folder for a test class.</summary>
public sealed class FaceDetectorFixture : IDisposable
{
    public FaceDetectorFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "face-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Detector = new FaceDetector(new FaceOptions());
    }

    public FaceDetector Detector { get; }
    public string Folder { get; }

    public void Dispose()
    {
        Detector.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
