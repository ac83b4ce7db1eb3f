namespace CollectionWorker.Inspection.Face;

/// <summary>
/// An ONNX ModelProto read with <see cref="ProtoWire"/>: its graph is open for editing, every other
/// field (opset, IR version, producer, metadata) is written back byte for byte.
/// </summary>
internal sealed class OnnxModel
{
    private const int GraphField = 7; // ModelProto.graph

    private readonly List<WireField> _fields;

    private OnnxModel(List<WireField> fields, OnnxGraph graph)
    {
        _fields = fields;
        Graph = graph;
    }

    public OnnxGraph Graph { get; }

    public static OnnxModel Parse(ReadOnlyMemory<byte> bytes)
    {
        var fields = ProtoWire.Parse(bytes);
        var graphs = fields.Where(f => f.Number == GraphField).ToList();
        if (graphs.Count != 1) throw new InvalidDataException($"an ONNX model holds one graph; this one holds {graphs.Count}.");
        return new OnnxModel(fields, OnnxGraph.Parse(graphs[0].AsMessage()));
    }

    public byte[] ToBytes() =>
        ProtoWire.Write(_fields.Select(f => f.Number == GraphField ? WireField.Message(GraphField, Graph.ToBytes()) : f));
}

/// <summary>
/// An ONNX GraphProto: its nodes and initializers are lists to edit; every other field (name, inputs,
/// outputs, value_info) is kept as it was unless <see cref="DropValueInfo"/> is called.
/// </summary>
internal sealed class OnnxGraph
{
    private const int NodeField = 1;        // GraphProto.node
    private const int InitializerField = 5; // GraphProto.initializer
    private const int InputField = 11;      // GraphProto.input
    private const int OutputField = 12;     // GraphProto.output
    private const int ValueInfoField = 13;  // GraphProto.value_info
    private const int ValueInfoName = 1;    // ValueInfoProto.name

    private readonly List<WireField> _other;

    private OnnxGraph(List<OnnxNode> nodes, List<OnnxTensor> initializers, List<WireField> other)
    {
        Nodes = nodes;
        Initializers = initializers;
        _other = other;
    }

    /// <summary>The nodes, in the graph's (topological) order.</summary>
    public List<OnnxNode> Nodes { get; }

    public List<OnnxTensor> Initializers { get; }

    public IReadOnlyList<string> InputNames => ValueInfoNames(InputField);

    public IReadOnlyList<string> OutputNames => ValueInfoNames(OutputField);

    public static OnnxGraph Parse(ReadOnlyMemory<byte> bytes)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        var other = new List<WireField>();
        foreach (var field in ProtoWire.Parse(bytes))
        {
            if (field.Number == NodeField) nodes.Add(OnnxNode.Parse(field.AsMessage()));
            else if (field.Number == InitializerField) initializers.Add(OnnxTensor.Parse(field.AsMessage()));
            else other.Add(field);
        }
        return new OnnxGraph(nodes, initializers, other);
    }

    /// <summary>Forgets the shapes stated for intermediate tensors (optional hints; ONNX Runtime infers them itself).</summary>
    public void DropValueInfo() => _other.RemoveAll(f => f.Number == ValueInfoField);

    public byte[] ToBytes() => ProtoWire.Write(
        Nodes.Select(n => WireField.Message(NodeField, n.ToBytes()))
            .Concat(_other)
            .Concat(Initializers.Select(t => WireField.Message(InitializerField, t.ToBytes()))));

    private List<string> ValueInfoNames(int field) =>
        _other.Where(f => f.Number == field)
            .Select(f => ProtoWire.Last(ProtoWire.Parse(f.AsMessage()), ValueInfoName)?.AsString() ?? throw new InvalidDataException("a graph input or output has no name."))
            .ToList();
}
