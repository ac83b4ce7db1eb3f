namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Rewrites a BlazeFace graph so that every tensor inside the network has a multiple of
/// <see cref="Block"/> channels, the real channels first and zeros after. Why: ONNX Runtime's CPU
/// provider (MLAS) runs convolutions in a blocked layout (NCHWc: 16 channels per block with AVX-512,
/// 8 on other x64 processors) and keeps a tensor in it only when its channel count is a multiple of the block. BlazeFace's
/// counts (24, 28, 36, 42, 56, 72, 88) are not, so the shipped graph converts every block's tensors
/// to plain NCHW and back around each Add, Relu and Concat: measured, a third of a run. Padded, the
/// whole network stays blocked and a run of the 128 model costs about two thirds of the shipped one
/// (the 256 model about four fifths). A processor without the blocked kernels would only compute the
/// zero channels in vain (up to 1.8x the work of the first 1x1 convolutions).
/// <para>
/// The rewrite keeps every real value: each convolution gets zero weights and a zero bias for the new
/// output channels (so they are exactly 0, and Relu, MaxPool and Add keep them 0) and zero weights for
/// the new input channels (so they add nothing to the real ones). The zero channels BlazeFace appends
/// with Concat(x, ConstantOfShape) for its residual connections are the padding itself: where the padded
/// counts of x and the result are equal the Concat goes (x already is that tensor); where they differ,
/// the zeros come from a 1x1 convolution with zero weights, which, unlike a constant, is in the blocked
/// layout too. What changes is only the order ONNX Runtime sums the real products in: outputs agree with
/// the shipped graph's to float rounding (BlazeFaceChannelPaddingTests).
/// </para>
/// <para>
/// Only the operators BlazeFace uses are understood (Transpose of the NHWC input, Conv, Relu, Add,
/// MaxPool, Concat with ConstantOfShape zeros, the heads' Transpose and Reshape); anything else, or a
/// shape that does not fit, throws <see cref="InvalidDataException"/> naming the node, and nothing of
/// the rewrite is used.
/// </para>
/// </summary>
internal static class ChannelPadding
{
    /// <summary>16: MLAS's block with AVX-512; also a multiple of its AVX2 block (8).</summary>
    public const int Block = 16;

    /// <summary>The padded copy of the ONNX model in <paramref name="model"/> (which is not changed).</summary>
    public static byte[] Pad(ReadOnlyMemory<byte> model)
    {
        var parsed = OnnxModel.Parse(model);
        new Rewrite(parsed.Graph).Run();
        return parsed.ToBytes();
    }

    public static int RoundUp(int channels) => (channels + Block - 1) / Block * Block;

    /// <summary>
    /// The channels of a tensor inside the network: <paramref name="Real"/> meaningful ones, <paramref name="Stored"/>
    /// in the rewritten graph. Not padded: the input (as the first convolution reads it) and the heads' outputs.
    /// </summary>
    private sealed record Channels(int Real, int Stored)
    {
        public static Channels Padded(int real) => new(real, RoundUp(real));
    }

    private sealed class Rewrite(OnnxGraph graph)
    {
        private readonly Dictionary<string, OnnxTensor> _initializers = Initializers(graph);
        private readonly Dictionary<string, List<OnnxNode>> _consumers = Consumers(graph);
        private readonly HashSet<string> _names = graph.Nodes.SelectMany(n => n.Outputs).Concat(graph.Initializers.Select(t => t.Name)).Concat(graph.InputNames).ToHashSet();
        private readonly Dictionary<string, Channels> _channels = [];
        private readonly Dictionary<string, int> _unpaddedInput = [];      // the NHWC input transposed to NCHW: channels as the first Conv says
        private readonly Dictionary<string, long[]> _zeros = [];           // ConstantOfShape outputs: their shape
        private readonly HashSet<string> _heads = [];                      // the heads' Conv outputs: not padded
        private readonly HashSet<string> _headOutputs = [];                // after the heads' Transpose: left alone
        private readonly Dictionary<string, string> _sameAs = [];          // a Concat that went: its output is this tensor
        private readonly List<OnnxNode> _nodes = [];

        public void Run()
        {
            var inputs = graph.InputNames.ToHashSet();
            var usedBefore = graph.Nodes.SelectMany(n => n.Inputs).ToHashSet();
            foreach (var node in graph.Nodes)
            {
                if (node.Domain is not ("" or "ai.onnx")) throw Unsupported(node, $"is from operator set \"{node.Domain}\"");
                for (var i = 0; i < node.Inputs.Count; i++)
                    if (_sameAs.TryGetValue(node.Inputs[i], out var same)) node.Inputs[i] = same;
                switch (node.OpType)
                {
                    case "Transpose": Transpose(node, inputs); break;
                    case "Conv": Conv(node); break;
                    case "Relu" or "MaxPool": Elementwise(node, node.Inputs.Take(1)); break;
                    case "Add": Elementwise(node, node.Inputs); break;
                    case "ConstantOfShape": Zeros(node); break;
                    case "Concat": Concat(node); break;
                    case "Reshape": Reshape(node); break;
                    default: throw Unsupported(node, "is not one the rewrite knows");
                }
            }
            foreach (var output in graph.OutputNames)
                if (!_headOutputs.Contains(output)) throw new InvalidDataException($"the graph output \"{output}\" does not come from a head (Conv, Transpose, Reshape).");

            // Initializers only the dropped ConstantOfShape nodes read go with them; the rest stay as they are.
            var usedAfter = _nodes.SelectMany(n => n.Inputs).ToHashSet();
            graph.Initializers.RemoveAll(t => usedBefore.Contains(t.Name) && !usedAfter.Contains(t.Name));
            graph.Nodes.Clear();
            graph.Nodes.AddRange(_nodes);
            // value_info states the unpadded shapes.
            graph.DropValueInfo();
        }

        private void Transpose(OnnxNode node, HashSet<string> graphInputs)
        {
            var perm = node.Attribute("perm")?.AsInts() ?? throw Unsupported(node, "has no perm");
            if (graphInputs.Contains(node.Inputs[0]) && perm.SequenceEqual([0, 3, 1, 2]))
                _unpaddedInput[node.Outputs[0]] = 0;
            else if (_heads.Contains(node.Inputs[0]) && perm.SequenceEqual([0, 2, 3, 1]))
                _headOutputs.Add(node.Outputs[0]);
            else throw Unsupported(node, "is neither the input's NHWC-to-NCHW nor a head's NCHW-to-NHWC");
            _nodes.Add(node);
        }

        private void Reshape(OnnxNode node)
        {
            if (!_headOutputs.Contains(node.Inputs[0])) throw Unsupported(node, "reshapes a tensor that is not a head's output");
            _headOutputs.Add(node.Outputs[0]);
            _nodes.Add(node);
        }

        private void Elementwise(OnnxNode node, IEnumerable<string> inputs)
        {
            var channels = inputs.Select(i => _channels.TryGetValue(i, out var c) ? c : throw Unsupported(node, $"reads \"{i}\", which is not a tensor of the network")).ToList();
            // An Add of x with a Concat(x', zeros) that went reads x' itself: fewer real channels, the same stored ones, zeros after.
            if (channels.Select(c => c.Stored).Distinct().Count() != 1) throw Unsupported(node, $"adds tensors of different padded channel counts ({string.Join(", ", channels)})");
            _channels[node.Outputs[0]] = new Channels(channels.Max(c => c.Real), channels[0].Stored);
            _nodes.Add(node);
        }

        private void Zeros(OnnxNode node)
        {
            if (node.Attribute("value") is not null) throw Unsupported(node, "has a value (only the default, float 0, is understood)");
            var shape = Initializer(node, node.Inputs[0], OnnxTensor.Int64).Int64s();
            if (shape.Length != 4 || shape[0] != 1) throw Unsupported(node, $"makes shape [{string.Join(", ", shape)}], not [1, C, H, W]");
            if (_consumers[node.Outputs[0]].Any(c => c.OpType != "Concat" || c.Inputs.IndexOf(node.Outputs[0]) != 1))
                throw Unsupported(node, "feeds something other than the second input of a Concat");
            _zeros[node.Outputs[0]] = shape;
            // Not kept: every Concat it feeds is rewritten without it.
        }

        private void Concat(OnnxNode node)
        {
            if (node.Attribute("axis")?.AsInt() != 1 || node.Inputs.Count != 2) throw Unsupported(node, "is not a Concat of two tensors along channels");
            var x = _channels.TryGetValue(node.Inputs[0], out var c) ? c : throw Unsupported(node, $"reads \"{node.Inputs[0]}\", which is not a tensor of the network");
            var zeros = _zeros.TryGetValue(node.Inputs[1], out var shape) ? shape : throw Unsupported(node, "does not append ConstantOfShape zeros");
            var result = Channels.Padded(x.Real + (int)zeros[1]);
            _channels[node.Outputs[0]] = result;
            if (result.Stored == x.Stored)
            {
                // x's padding already holds the appended zeros: the Concat's output is x.
                if (graph.OutputNames.Contains(node.Outputs[0])) throw Unsupported(node, "is a graph output");
                _sameAs[node.Outputs[0]] = node.Inputs[0];
                return;
            }
            // Zeros in the blocked layout: a 1x1 convolution of x with zero weights (exactly 0 for finite x).
            var weights = NewName(node.Outputs[0] + "/zero_weights");
            var zerosOut = NewName(node.Outputs[0] + "/zeros");
            graph.Initializers.Add(OnnxTensor.FromFloats(weights, [result.Stored - x.Stored, x.Stored, 1, 1], new float[(result.Stored - x.Stored) * x.Stored]));
            _nodes.Add(OnnxNode.Create("Conv", zerosOut, [node.Inputs[0], weights], [zerosOut],
                OnnxAttribute.Ints("kernel_shape", 1, 1), OnnxAttribute.Ints("strides", 1, 1), OnnxAttribute.Ints("pads", 0, 0, 0, 0),
                OnnxAttribute.Ints("dilations", 1, 1), OnnxAttribute.Int("group", 1)));
            node.Inputs[1] = zerosOut;
            _nodes.Add(node);
        }

        private void Conv(OnnxNode node)
        {
            if (node.Inputs.Count is < 2 or > 3) throw Unsupported(node, $"has {node.Inputs.Count} inputs");
            var weights = Initializer(node, node.Inputs[1], OnnxTensor.Float);
            var bias = node.Inputs.Count == 3 ? Initializer(node, node.Inputs[2], OnnxTensor.Float) : null;
            if (weights.Dims.Length != 4) throw Unsupported(node, $"has weights {weights}, not [out, in, kh, kw]");
            var outReal = (int)weights.Dims[0];
            var inPerGroup = (int)weights.Dims[1];
            var kernel = (int)(weights.Dims[2] * weights.Dims[3]);
            if (bias is not null && (bias.Dims.Length != 1 || bias.Dims[0] != outReal)) throw Unsupported(node, $"has bias {bias} for {outReal} outputs");
            var groupAttribute = node.Attribute("group");
            var group = groupAttribute?.AsInt() ?? 1;
            var head = _consumers.TryGetValue(node.Outputs[0], out var readers) && readers.Count > 0 && readers.All(r => r.OpType == "Transpose");

            var input = _unpaddedInput.ContainsKey(node.Inputs[0]) ? new Channels(inPerGroup, inPerGroup)
                : _channels.TryGetValue(node.Inputs[0], out var known) ? known
                : throw Unsupported(node, $"reads \"{node.Inputs[0]}\", which is not a tensor of the network");

            Channels output;
            if (group == 1)
            {
                if (inPerGroup != input.Real) throw Unsupported(node, $"expects {inPerGroup} input channels, its input has {input.Real}");
                output = head ? new Channels(outReal, outReal) : Channels.Padded(outReal);
                Replace(weights, [output.Stored, input.Stored, weights.Dims[2], weights.Dims[3]], PadWeights(weights.Floats(), outReal, inPerGroup, kernel, output.Stored, input.Stored));
            }
            else
            {
                // Depthwise: one filter per channel; the padded channels get a zero filter.
                if (head || group != outReal || group != input.Real || inPerGroup != 1) throw Unsupported(node, $"is a grouped convolution ({group} groups) that is not depthwise over its input");
                output = input;
                Replace(weights, [output.Stored, 1, weights.Dims[2], weights.Dims[3]], PadWeights(weights.Floats(), outReal, 1, kernel, output.Stored, 1));
                node.Attributes[node.Attributes.IndexOf(groupAttribute!)] = OnnxAttribute.Int("group", output.Stored);
            }
            if (bias is not null) Replace(bias, [output.Stored], PadWeights(bias.Floats(), outReal, 1, 1, output.Stored, 1));
            if (head) _heads.Add(node.Outputs[0]);
            else _channels[node.Outputs[0]] = output;
            _nodes.Add(node);
        }

        /// <summary>[out, in, k] weights copied into a zero [newOut, newIn, k] array.</summary>
        private static float[] PadWeights(float[] weights, int outs, int ins, int kernel, int newOuts, int newIns)
        {
            var padded = new float[newOuts * newIns * kernel];
            for (var o = 0; o < outs; o++)
                weights.AsSpan((o * ins) * kernel, ins * kernel).CopyTo(padded.AsSpan((o * newIns) * kernel));
            return padded;
        }

        private void Replace(OnnxTensor tensor, long[] dims, float[] values)
        {
            // Weights read by two nodes would be padded twice; BlazeFace's are each read once.
            if (_consumers[tensor.Name].Count != 1) throw new InvalidDataException($"{tensor} is read by {_consumers[tensor.Name].Count} nodes; the rewrite pads weights read once.");
            graph.Initializers[graph.Initializers.IndexOf(tensor)] = OnnxTensor.FromFloats(tensor.Name, dims, values);
        }

        private OnnxTensor Initializer(OnnxNode node, string name, int dataType)
        {
            var tensor = _initializers.TryGetValue(name, out var t) ? t : throw Unsupported(node, $"reads \"{name}\", which is not an initializer");
            if (tensor.DataType != dataType) throw Unsupported(node, $"reads {tensor} of element type {tensor.DataType}, not {dataType}");
            return tensor;
        }

        private string NewName(string name) =>
            _names.Add(name) ? name : throw new InvalidDataException($"the graph already has a tensor called \"{name}\".");

        private static InvalidDataException Unsupported(OnnxNode node, string why) => new($"the {node} {why}.");

        private static Dictionary<string, OnnxTensor> Initializers(OnnxGraph graph)
        {
            var byName = new Dictionary<string, OnnxTensor>();
            foreach (var t in graph.Initializers)
                if (!byName.TryAdd(t.Name, t)) throw new InvalidDataException($"two initializers are called \"{t.Name}\".");
            return byName;
        }

        private static Dictionary<string, List<OnnxNode>> Consumers(OnnxGraph graph)
        {
            var consumers = new Dictionary<string, List<OnnxNode>>();
            foreach (var node in graph.Nodes)
                foreach (var input in node.Inputs)
                {
                    if (!consumers.TryGetValue(input, out var list)) consumers[input] = list = [];
                    list.Add(node);
                }
            return consumers;
        }
    }
}
