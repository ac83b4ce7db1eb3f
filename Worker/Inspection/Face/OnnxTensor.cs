using System.Buffers.Binary;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// An ONNX TensorProto (an initializer): name, dims and element type read; float32 and int64 values
/// read from raw_data or the typed lists. A tensor that is not replaced is written back byte for byte.
/// </summary>
internal sealed class OnnxTensor
{
    private const int DimsField = 1;
    private const int DataTypeField = 2;
    private const int FloatDataField = 4;
    private const int Int64DataField = 7;
    private const int NameField = 8;
    private const int RawDataField = 9;
    private const int ExternalDataField = 13;
    public const int Float = 1;  // TensorProto.DataType.FLOAT
    public const int Int64 = 7;  // TensorProto.DataType.INT64

    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly List<WireField> _fields;

    private OnnxTensor(ReadOnlyMemory<byte> bytes, List<WireField> fields)
    {
        _bytes = bytes;
        _fields = fields;
        Name = ProtoWire.Last(fields, NameField)?.AsString() ?? "";
        Dims = ProtoWire.Int64s(fields, DimsField).ToArray();
        DataType = (int)(ProtoWire.Last(fields, DataTypeField)?.AsInt64() ?? 0);
    }

    public string Name { get; }

    public long[] Dims { get; }

    public int DataType { get; }

    public long ElementCount => Dims.Aggregate(1L, (n, d) => n * d);

    public static OnnxTensor Parse(ReadOnlyMemory<byte> bytes) => new(bytes, ProtoWire.Parse(bytes));

    /// <summary>A float32 tensor holding <paramref name="values"/> (row-major over <paramref name="dims"/>) in raw_data.</summary>
    public static OnnxTensor FromFloats(string name, long[] dims, float[] values)
    {
        if (dims.Aggregate(1L, (n, d) => n * d) != values.Length)
            throw new ArgumentException($"{values.Length} values do not fill dims [{string.Join(", ", dims)}].", nameof(values));
        var raw = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        var bytes = ProtoWire.Write([
            ProtoWire.PackedInt64s(DimsField, dims),
            WireField.Varint(DataTypeField, Float),
            WireField.String(NameField, name),
            WireField.Message(RawDataField, raw),
        ]);
        return Parse(bytes);
    }

    public float[] Floats()
    {
        Expect(Float, "float32");
        var raw = RawData();
        float[] values;
        if (raw is { } r)
        {
            if (r.Length % sizeof(float) != 0) throw new InvalidDataException($"{this} has {r.Length} bytes of float32 data.");
            values = new float[r.Length / sizeof(float)];
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(r.Span[(i * sizeof(float))..]);
        }
        else
        {
            var list = new List<float>();
            foreach (var field in _fields.Where(f => f.Number == FloatDataField))
            {
                if (field.Type == WireType.Fixed32) list.Add(BitConverter.UInt32BitsToSingle((uint)field.Value));
                else
                {
                    var packed = field.AsMessage().Span;
                    if (packed.Length % sizeof(float) != 0) throw new InvalidDataException($"{this} has a packed float list of {packed.Length} bytes.");
                    for (var at = 0; at < packed.Length; at += sizeof(float)) list.Add(BinaryPrimitives.ReadSingleLittleEndian(packed[at..]));
                }
            }
            values = list.ToArray();
        }
        CheckCount(values.Length);
        return values;
    }

    public long[] Int64s()
    {
        Expect(Int64, "int64");
        long[] values;
        if (RawData() is { } r)
        {
            if (r.Length % sizeof(long) != 0) throw new InvalidDataException($"{this} has {r.Length} bytes of int64 data.");
            values = new long[r.Length / sizeof(long)];
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(r.Span[(i * sizeof(long))..]);
        }
        else values = ProtoWire.Int64s(_fields, Int64DataField).ToArray();
        CheckCount(values.Length);
        return values;
    }

    public ReadOnlyMemory<byte> ToBytes() => _bytes;

    public override string ToString() => $"initializer \"{Name}\" [{string.Join(", ", Dims)}]";

    private ReadOnlyMemory<byte>? RawData()
    {
        if (_fields.Any(f => f.Number == ExternalDataField)) throw new InvalidDataException($"{this} keeps its values in an external file.");
        return ProtoWire.Last(_fields, RawDataField)?.AsMessage();
    }

    private void Expect(int dataType, string what)
    {
        if (DataType != dataType) throw new InvalidDataException($"{this} has element type {DataType}, not {what}.");
    }

    private void CheckCount(int count)
    {
        if (count != ElementCount) throw new InvalidDataException($"{this} holds {count} values instead of {ElementCount}.");
    }
}
