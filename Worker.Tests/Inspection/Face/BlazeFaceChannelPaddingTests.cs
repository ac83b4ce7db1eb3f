using CollectionWorker.Inspection.Face;
using CollectionWorker.Tests.Inspection.RealFaces;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using Xunit.Abstractions;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>Both networks twice: as shipped and with padded channel counts (what the detector runs).</summary>
public sealed class ShippedAndPaddedNetworks : IDisposable
{
    public BlazeFaceNetwork Front { get; } = Load(BlazeFaceModelFiles.FrontFileName, BlazeFaceModelFiles.FrontSha256, 128, BlazeFaceGraph.ChannelsPadded);
    public BlazeFaceNetwork FrontShipped { get; } = Load(BlazeFaceModelFiles.FrontFileName, BlazeFaceModelFiles.FrontSha256, 128, BlazeFaceGraph.AsShipped);
    public BlazeFaceNetwork Back { get; } = Load(BlazeFaceModelFiles.BackFileName, BlazeFaceModelFiles.BackSha256, 256, BlazeFaceGraph.ChannelsPadded);
    public BlazeFaceNetwork BackShipped { get; } = Load(BlazeFaceModelFiles.BackFileName, BlazeFaceModelFiles.BackSha256, 256, BlazeFaceGraph.AsShipped);

    private static BlazeFaceNetwork Load(string file, string sha, int size, BlazeFaceGraph graph) =>
        BlazeFaceNetwork.Load(Path.Combine(BlazeFaceModelFiles.DefaultDirectory, file), sha, size, 1, graph);

    public void Dispose()
    {
        Front.Dispose();
        FrontShipped.Dispose();
        Back.Dispose();
        BackShipped.Dispose();
    }
}

/// <summary>
/// The graph with padded channel counts (<see cref="ChannelPadding"/>) against the model as shipped, on the
/// real calibration photos, for every input the detector gives the networks: the 128 and 256 whole photo and
/// the 128 crop of the second pass. Every anchor's raw outputs agree to float rounding (ONNX Runtime sums the
/// same products in another order) and every face the detector would take from them agrees to 0.01 px.
/// </summary>
[Collection(FaceCollection.Name)]
public sealed class BlazeFaceChannelPaddingTests(ShippedAndPaddedNetworks n, ITestOutputHelper output) : IClassFixture<ShippedAndPaddedNetworks>
{
    // Raw outputs: |padded - shipped| <= tolerance * max(1, |shipped|). Measured on the 40 photos: logits within
    // 3.6e-5; boxes and keypoints (in input pixels) within 1.9e-4 (128 whole), 1.7e-4 (crop), 1.1e-4 (256). For scale:
    // the shipped graph run with ONNX Runtime's basic optimizations instead of all of them differs from itself by 6.9e-4.
    private const float LogitTolerance = 1e-4f;
    private const float RegressorTolerance = 5e-4f;
    // Faces after weighted NMS, in photo pixels; measured at most 1.2e-4 px and scores within 2e-7.
    private const float PixelTolerance = 0.01f;
    private const float ScoreTolerance = 1e-4f;
    private const float Threshold = 0.5f, Nms = 0.3f; // FaceOptions' defaults

    public static TheoryData<string> Photos() => CalibrationSet.Names();

    [Theory]
    [MemberData(nameof(Photos))]
    public void Every_anchor_and_every_face_of_a_real_photo_is_as_with_the_shipped_graph(string name)
    {
        using var image = Image.Load<Rgb24>(CalibrationSet.Get(name).File);
        var pixels = RgbPixels.From(image);
        var whole = SquareRegion.Letterbox(image.Width, image.Height);

        var front = Compare(n.FrontShipped, n.Front, pixels, whole, $"{name} 128 whole");
        Assert.NotEmpty(front); // every calibration photo shows a face
        foreach (var face in front)
        {
            // The detector's second pass: the 128 network on twice the face box.
            var crop = SquareRegion.Around(face.Box.CenterX, face.Box.CenterY, MathF.Max(face.Box.Width, face.Box.Height) * 2);
            Compare(n.FrontShipped, n.Front, pixels, crop, $"{name} 128 crop");
        }
        Compare(n.BackShipped, n.Back, pixels, whole, $"{name} 256 whole");
    }

    private List<FaceCandidate> Compare(BlazeFaceNetwork shipped, BlazeFaceNetwork padded, RgbPixels pixels, SquareRegion region, string what)
    {
        var input = new float[shipped.InputLength];
        NetworkInput.Fill(pixels, region, shipped.InputSize, input);

        var expected = shipped.RawOutputs(input);
        var actual = padded.RawOutputs(input);
        Assert.Equal(4, actual.Length);
        var worst = new float[4]; // scores 16x16, scores 8x8, boxes 16x16, boxes 8x8
        for (var o = 0; o < 4; o++)
        {
            Assert.Equal(expected[o].Length, actual[o].Length);
            for (var i = 0; i < expected[o].Length; i++)
                worst[o] = Math.Max(worst[o], Math.Abs(expected[o][i] - actual[o][i]) / Math.Max(1, Math.Abs(expected[o][i])));
        }
        output.WriteLine($"{what}: logits within {Math.Max(worst[0], worst[1]):g3}, boxes and keypoints within {Math.Max(worst[2], worst[3]):g3} of max(1, |value|)");
        for (var o = 0; o < 4; o++)
        {
            var tolerance = o < 2 ? LogitTolerance : RegressorTolerance;
            Assert.True(worst[o] <= tolerance, $"{what}: output {o} differs by {worst[o]} of max(1, |value|) (> {tolerance})");
        }

        var facesExpected = WeightedNms.Merge(shipped.Detect(input, region, Threshold), Nms);
        var facesActual = WeightedNms.Merge(padded.Detect(input, region, Threshold), Nms);
        Assert.Equal(facesExpected.Count, facesActual.Count);
        float pixel = 0, score = 0;
        for (var i = 0; i < facesExpected.Count; i++)
        {
            FaceCandidate e = facesExpected[i], a = facesActual[i];
            score = Math.Max(score, Math.Abs(e.Score - a.Score));
            pixel = new[] { e.Box.Left - a.Box.Left, e.Box.Top - a.Box.Top, e.Box.Width - a.Box.Width, e.Box.Height - a.Box.Height }
                .Concat(Enumerable.Range(0, FaceLandmarks.Count).SelectMany(k => new[] { e.Landmarks[k].X - a.Landmarks[k].X, e.Landmarks[k].Y - a.Landmarks[k].Y }))
                .Select(Math.Abs).Append(pixel).Max();
        }
        output.WriteLine($"{what}: {facesExpected.Count} faces, boxes and keypoints within {pixel:g3} px, scores within {score:g3}");
        Assert.True(pixel <= PixelTolerance, $"{what}: a face's box or keypoint moved {pixel} px (> {PixelTolerance})");
        Assert.True(score <= ScoreTolerance, $"{what}: a face's score differs by {score} (> {ScoreTolerance})");
        return facesExpected;
    }
}
