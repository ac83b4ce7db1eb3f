using CollectionWorker.Inspection.Face;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

[Collection(FaceCollection.Name)]
public sealed class FaceModelChecksumTests(FaceDetectorFixture f)
{
    [Fact]
    public void The_build_put_both_verified_models_beside_the_tests()
    {
        Assert.True(File.Exists(Path.Combine(BlazeFaceModelFiles.DefaultDirectory, BlazeFaceModelFiles.FrontFileName)));
        Assert.True(File.Exists(Path.Combine(BlazeFaceModelFiles.DefaultDirectory, BlazeFaceModelFiles.BackFileName)));
        Assert.Equal(BlazeFaceModelFiles.DefaultDirectory, f.Detector.ModelDirectory);
    }

    [Theory]
    [InlineData(BlazeFaceModelFiles.FrontFileName, BlazeFaceModelFiles.FrontSha256)]
    [InlineData(BlazeFaceModelFiles.BackFileName, BlazeFaceModelFiles.BackSha256)]
    public void A_modified_model_file_is_refused_with_a_message_naming_file_and_checksums(string file, string expected)
    {
        var folder = CopyModels($"modified-{Path.GetFileNameWithoutExtension(file)}");
        var path = Path.Combine(folder, file);
        // One flipped bit in the middle of the weights: still a loadable ONNX file, but not the pinned one.
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<FaceModelException>(() => new FaceDetector(new FaceOptions { ModelDirectory = folder }));

        Assert.Contains(path, e.Message);
        Assert.Contains("SHA-256", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), e.Message);
        Assert.Contains("not loaded", e.Message);
    }

    [Fact]
    public void A_missing_model_folder_is_refused_with_a_message_saying_where_and_what_to_do()
    {
        var folder = Path.Combine(f.Folder, "no-models-here");
        var e = Assert.Throws<FaceModelException>(() => new FaceDetector(new FaceOptions { ModelDirectory = folder }));
        Assert.Contains(Path.Combine(folder, BlazeFaceModelFiles.FrontFileName), e.Message);
        Assert.Contains("Inspection:Face:ModelDirectory", e.Message);
    }

    [Fact]
    public void An_unmodified_copy_loads()
    {
        var folder = CopyModels("intact");
        using var detector = new FaceDetector(new FaceOptions { ModelDirectory = folder });
        Assert.Equal(folder, detector.ModelDirectory);
    }

    private string CopyModels(string name)
    {
        var folder = Path.Combine(f.Folder, name);
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { BlazeFaceModelFiles.FrontFileName, BlazeFaceModelFiles.BackFileName })
            File.Copy(Path.Combine(BlazeFaceModelFiles.DefaultDirectory, file), Path.Combine(folder, file));
        return folder;
    }
}
