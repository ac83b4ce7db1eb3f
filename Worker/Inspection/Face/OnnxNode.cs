namespace CollectionWorker.Inspection.Face;

/// <summary>
/// An ONNX NodeProto: inputs, outputs, name, operator and attributes open for editing; other fields
/// (doc_string, overload) kept as they were.
/// </summary>
internal sealed class OnnxNode
{
    private const int InputField = 1;
    private const int OutputField = 2;
    private const int NameField = 3;
    private const int OpTypeField = 4;
    private const int AttributeField = 5;
    private const int DomainField = 7;

    private readonly List<WireField> _other;

    private OnnxNode(string opType, string domain, string name, List<string> inputs, List<string> outputs, List<OnnxAttribute> attributes, List<WireField> other)
    {
        OpType = opType;
        Domain = domain;
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Attributes = attributes;
        _other = other;
    }

    public string OpType { get; }

    /// <summary>The operator set: "" (or "ai.onnx") is the standard one.</summary>
    public string Domain { get; }

    public string Name { get; }

    public List<string> Inputs { get; }

    public List<string> Outputs { get; }

    public List<OnnxAttribute> Attributes { get; }

    public static OnnxNode Create(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, params OnnxAttribute[] attributes) =>
        new(opType, "", name, inputs.ToList(), outputs.ToList(), attributes.ToList(), []);

    public static OnnxNode Parse(ReadOnlyMemory<byte> bytes)
    {
        string opType = "", domain = "", name = "";
        List<string> inputs = [], outputs = [];
        List<OnnxAttribute> attributes = [];
        List<WireField> other = [];
        foreach (var field in ProtoWire.Parse(bytes))
        {
            switch (field.Number)
            {
                case InputField: inputs.Add(field.AsString()); break;
                case OutputField: outputs.Add(field.AsString()); break;
                case NameField: name = field.AsString(); break;
                case OpTypeField: opType = field.AsString(); break;
                case DomainField: domain = field.AsString(); break;
                case AttributeField: attributes.Add(OnnxAttribute.Parse(field.AsMessage())); break;
                default: other.Add(field); break;
            }
        }
        return new OnnxNode(opType, domain, name, inputs, outputs, attributes, other);
    }

    /// <summary>The attribute called <paramref name="name"/>, or null when the node leaves it at its default.</summary>
    public OnnxAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);

    public byte[] ToBytes()
    {
        var fields = new List<WireField>();
        fields.AddRange(Inputs.Select(i => WireField.String(InputField, i)));
        fields.AddRange(Outputs.Select(o => WireField.String(OutputField, o)));
        if (Name.Length > 0) fields.Add(WireField.String(NameField, Name));
        fields.Add(WireField.String(OpTypeField, OpType));
        fields.AddRange(Attributes.Select(a => WireField.Message(AttributeField, a.ToBytes())));
        if (Domain.Length > 0) fields.Add(WireField.String(DomainField, Domain));
        fields.AddRange(_other);
        return ProtoWire.Write(fields);
    }

    public override string ToString() => $"{OpType} node \"{Name}\"";
}

/// <summary>An ONNX AttributeProto; only the integer forms (i, ints) are read or made here, the rest is kept as it was.</summary>
internal sealed class OnnxAttribute
{
    private const int NameField = 1;
    private const int IntField = 3;
    private const int IntsField = 8;
    private const int TypeField = 20;
    private const int TypeInt = 2;  // AttributeProto.AttributeType.INT
    private const int TypeInts = 7; // AttributeProto.AttributeType.INTS

    private readonly List<WireField> _fields;

    private OnnxAttribute(string name, List<WireField> fields)
    {
        Name = name;
        _fields = fields;
    }

    public string Name { get; }

    public static OnnxAttribute Parse(ReadOnlyMemory<byte> bytes)
    {
        var fields = ProtoWire.Parse(bytes);
        var name = ProtoWire.Last(fields, NameField)?.AsString()
            ?? throw new InvalidDataException("an ONNX node attribute has no name.");
        return new OnnxAttribute(name, fields);
    }

    public static OnnxAttribute Int(string name, long value) =>
        new(name, [WireField.String(NameField, name), WireField.Varint(IntField, (ulong)value), WireField.Varint(TypeField, TypeInt)]);

    public static OnnxAttribute Ints(string name, params long[] values) =>
        new(name, [WireField.String(NameField, name), ProtoWire.PackedInt64s(IntsField, values), WireField.Varint(TypeField, TypeInts)]);

    /// <summary>The value of an INT attribute.</summary>
    public long AsInt()
    {
        if (TypeCode != TypeInt) throw new InvalidDataException($"attribute \"{Name}\" is not an integer (type {TypeCode}).");
        return ProtoWire.Last(_fields, IntField)?.AsInt64() ?? 0;
    }

    /// <summary>The values of an INTS attribute.</summary>
    public List<long> AsInts()
    {
        if (TypeCode != TypeInts) throw new InvalidDataException($"attribute \"{Name}\" is not a list of integers (type {TypeCode}).");
        return ProtoWire.Int64s(_fields, IntsField);
    }

    public byte[] ToBytes() => ProtoWire.Write(_fields);

    private long TypeCode => ProtoWire.Last(_fields, TypeField)?.AsInt64() ?? 0;
}
