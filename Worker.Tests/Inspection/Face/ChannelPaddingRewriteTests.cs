using System.Security.Cryptography;
using System.Text;
using CollectionWorker.Inspection.Face;
using CollectionWorker.Tests.Inspection.RealFaces;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CollectionWorker.Tests.Inspection.Face;

/// <summary>
/// The ONNX rewrite itself: the protobuf reader/writer keeps what it does not change, the padded graph has
/// the shape that makes it fast, and a graph it does not understand stops the load with a clear message.
/// </summary>
[Collection(FaceCollection.Name)]
public sealed class ChannelPaddingRewriteTests(FaceDetectorFixture f)
{
    public static TheoryData<string> Models() => new() { BlazeFaceModelFiles.FrontFileName, BlazeFaceModelFiles.BackFileName };

    private static byte[] Shipped(string file) => File.ReadAllBytes(Path.Combine(BlazeFaceModelFiles.DefaultDirectory, file));

    [Theory]
    [MemberData(nameof(Models))]
    public void The_wire_reader_and_writer_give_back_the_file_byte_for_byte(string file)
    {
        var bytes = Shipped(file);
        Assert.Equal(bytes, ProtoWire.Write(ProtoWire.Parse(bytes)));
        // Down to the graph: nodes and initializers written back from what was read.
        var model = OnnxModel.Parse(bytes);
        var again = OnnxModel.Parse(model.ToBytes());
        Assert.Equal(model.Graph.Nodes.Select(n => n.ToBytes()), again.Graph.Nodes.Select(n => n.ToBytes()));
        Assert.Equal(model.Graph.Initializers.Select(t => t.ToBytes().ToArray()), again.Graph.Initializers.Select(t => t.ToBytes().ToArray()));
    }

    [Fact]
    public void A_graph_read_and_written_back_unchanged_runs_bit_for_bit_as_the_file()
    {
        var path = Path.Combine(f.Folder, "rewritten-unchanged.onnx");
        var bytes = OnnxModel.Parse(Shipped(BlazeFaceModelFiles.FrontFileName)).ToBytes();
        File.WriteAllBytes(path, bytes);
        using var rewritten = BlazeFaceNetwork.Load(path, Convert.ToHexStringLower(SHA256.HashData(bytes)), 128, 1, BlazeFaceGraph.AsShipped);
        using var shipped = BlazeFaceNetwork.Load(Path.Combine(BlazeFaceModelFiles.DefaultDirectory, BlazeFaceModelFiles.FrontFileName),
            BlazeFaceModelFiles.FrontSha256, 128, 1, BlazeFaceGraph.AsShipped);

        using var image = Image.Load<Rgb24>(CalibrationSet.All[0].File);
        var input = new float[shipped.InputLength];
        NetworkInput.Fill(RgbPixels.From(image), SquareRegion.Letterbox(image.Width, image.Height), 128, input);
        Assert.Equal(shipped.RawOutputs(input), rewritten.RawOutputs(input));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_tensor_inside_the_padded_network_has_a_multiple_of_16_channels(string file)
    {
        var shipped = OnnxModel.Parse(Shipped(file)).Graph;
        var bytes = ChannelPadding.Pad(Shipped(file));
        Assert.Equal(bytes, ChannelPadding.Pad(Shipped(file))); // deterministic: the same file gives the same graph
        var padded = OnnxModel.Parse(bytes).Graph;
        var weights = padded.Initializers.ToDictionary(t => t.Name);
        var heads = padded.Nodes.Where(n => n.OpType == "Transpose").SelectMany(n => n.Inputs).ToHashSet();
        var convs = padded.Nodes.Where(n => n.OpType == "Conv").ToList();

        Assert.DoesNotContain(padded.Nodes, n => n.OpType == "ConstantOfShape");
        Assert.True(convs.Count >= shipped.Nodes.Count(n => n.OpType == "Conv"));
        foreach (var conv in convs)
        {
            var dims = weights[conv.Inputs[1]].Dims;
            var first = conv == convs[0];
            if (!heads.Contains(conv.Outputs[0])) Assert.True(dims[0] % 16 == 0, $"{conv}: {dims[0]} output channels");
            if (!first) Assert.True((conv.Attribute("group")?.AsInt() ?? 1) * dims[1] % 16 == 0, $"{conv}: {dims[1]} input channels per group");
        }
        // The real weights are where they were, the new ones zero: the first convolution's, element by element.
        var before = shipped.Initializers.Single(t => t.Name == shipped.Nodes.First(n => n.OpType == "Conv").Inputs[1]);
        var after = weights[before.Name];
        Assert.Equal([24, 3, 5, 5], before.Dims);
        Assert.Equal([32, 3, 5, 5], after.Dims);
        Assert.Equal(before.Floats(), after.Floats()[..(24 * 75)]);
        Assert.All(after.Floats()[(24 * 75)..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_graph_the_rewrite_does_not_know_stops_the_load_with_a_message_naming_the_node()
    {
        // "Relu" renamed "Relv" everywhere (same length, so the file stays valid protobuf): an operator the rewrite does not know.
        var bytes = Shipped(BlazeFaceModelFiles.FrontFileName);
        var text = Encoding.Latin1.GetString(bytes).Replace("Relu", "Relv");
        var changed = Encoding.Latin1.GetBytes(text);
        Assert.NotEqual(bytes, changed);
        var path = Path.Combine(f.Folder, "unknown-operator.onnx");
        File.WriteAllBytes(path, changed);

        var e = Assert.Throws<FaceModelException>(() =>
            BlazeFaceNetwork.Load(path, Convert.ToHexStringLower(SHA256.HashData(changed)), 128, 1));

        Assert.Contains(path, e.Message);
        Assert.Contains("could not be rewritten", e.Message);
        Assert.Contains("Relv node", e.Message);
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void A_truncated_graph_is_refused_as_malformed_protobuf()
    {
        var bytes = Shipped(BlazeFaceModelFiles.FrontFileName);
        var e = Assert.Throws<InvalidDataException>(() => ChannelPadding.Pad(bytes.AsMemory(0, bytes.Length - 1000)));
        Assert.Contains("protobuf", e.Message);
    }
}
