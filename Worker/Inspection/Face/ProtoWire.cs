using System.Buffers.Binary;
using System.Text;

namespace CollectionWorker.Inspection.Face;

/// <summary>The four protobuf wire types ONNX files use (groups, types 3 and 4, are refused).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}

/// <summary>
/// One field of a protobuf message as it stood on the wire: its number, its wire type, and either its
/// number value (varint, fixed32, fixed64) or its bytes (length-delimited: strings, sub-messages, packed lists).
/// A field that is not changed is written back exactly as it was read.
/// </summary>
internal sealed record WireField(int Number, WireType Type, ulong Value, ReadOnlyMemory<byte> Bytes)
{
    public static WireField Varint(int number, ulong value) => new(number, WireType.Varint, value, default);

    public static WireField Message(int number, ReadOnlyMemory<byte> bytes) => new(number, WireType.LengthDelimited, 0, bytes);

    public static WireField String(int number, string text) => Message(number, Encoding.UTF8.GetBytes(text));

    public string AsString() => Type == WireType.LengthDelimited
        ? Encoding.UTF8.GetString(Bytes.Span)
        : throw new InvalidDataException($"protobuf field {Number} should be a string but has wire type {Type}.");

    public ReadOnlyMemory<byte> AsMessage() => Type == WireType.LengthDelimited
        ? Bytes
        : throw new InvalidDataException($"protobuf field {Number} should be a message but has wire type {Type}.");

    public long AsInt64() => Type == WireType.Varint
        ? (long)Value
        : throw new InvalidDataException($"protobuf field {Number} should be an integer but has wire type {Type}.");
}

/// <summary>
/// The protobuf wire format, just enough to read and write ONNX model files (onnx.proto) without a
/// protobuf library: a message is a sequence of fields; repeated fields are repeated entries (or one
/// packed entry); unknown fields are kept as they are. Malformed input throws <see cref="InvalidDataException"/>.
/// </summary>
internal static class ProtoWire
{
    /// <summary>The fields of one message, in the order they stand.</summary>
    public static List<WireField> Parse(ReadOnlyMemory<byte> message)
    {
        var fields = new List<WireField>();
        var span = message.Span;
        var at = 0;
        while (at < span.Length)
        {
            var key = ReadVarint(span, ref at);
            var number = key >> 3;
            if (number is 0 or > 536_870_911) throw new InvalidDataException($"protobuf field number {number} at byte {at} is out of range.");
            var type = (int)(key & 7);
            switch (type)
            {
                case (int)WireType.Varint:
                    fields.Add(new WireField((int)number, WireType.Varint, ReadVarint(span, ref at), default));
                    break;
                case (int)WireType.Fixed64:
                    Need(span, at, 8);
                    fields.Add(new WireField((int)number, WireType.Fixed64, BinaryPrimitives.ReadUInt64LittleEndian(span[at..]), default));
                    at += 8;
                    break;
                case (int)WireType.Fixed32:
                    Need(span, at, 4);
                    fields.Add(new WireField((int)number, WireType.Fixed32, BinaryPrimitives.ReadUInt32LittleEndian(span[at..]), default));
                    at += 4;
                    break;
                case (int)WireType.LengthDelimited:
                    var length = ReadVarint(span, ref at);
                    if (length > (ulong)(span.Length - at)) throw new InvalidDataException($"protobuf field {number} claims {length} bytes at byte {at}, but only {span.Length - at} remain.");
                    fields.Add(WireField.Message((int)number, message.Slice(at, (int)length)));
                    at += (int)length;
                    break;
                default:
                    throw new InvalidDataException($"protobuf field {number} has wire type {type}, which ONNX files do not use.");
            }
        }
        return fields;
    }

    /// <summary>A message made of <paramref name="fields"/>, in that order.</summary>
    public static byte[] Write(IEnumerable<WireField> fields)
    {
        using var stream = new MemoryStream();
        foreach (var field in fields) WriteField(stream, field);
        return stream.ToArray();
    }

    /// <summary>The last entry of field <paramref name="number"/> (protobuf: the last one wins), or null when there is none.</summary>
    public static WireField? Last(List<WireField> fields, int number)
    {
        for (var i = fields.Count - 1; i >= 0; i--)
            if (fields[i].Number == number) return fields[i];
        return null;
    }

    /// <summary>The values of a repeated int64 field, written packed (one length-delimited entry) or one entry each.</summary>
    public static List<long> Int64s(IEnumerable<WireField> fields, int number)
    {
        var values = new List<long>();
        foreach (var field in fields)
        {
            if (field.Number != number) continue;
            if (field.Type == WireType.Varint)
            {
                values.Add((long)field.Value);
                continue;
            }
            var packed = field.AsMessage().Span;
            var at = 0;
            while (at < packed.Length) values.Add((long)ReadVarint(packed, ref at));
        }
        return values;
    }

    /// <summary>A repeated int64 field written packed, the way protobuf 3 writes it.</summary>
    public static WireField PackedInt64s(int number, IEnumerable<long> values)
    {
        using var stream = new MemoryStream();
        foreach (var value in values) WriteVarint(stream, (ulong)value);
        return WireField.Message(number, stream.ToArray());
    }

    private static void WriteField(Stream stream, WireField field)
    {
        WriteVarint(stream, ((ulong)field.Number << 3) | (ulong)field.Type);
        Span<byte> fixedBytes = stackalloc byte[8];
        switch (field.Type)
        {
            case WireType.Varint:
                WriteVarint(stream, field.Value);
                break;
            case WireType.Fixed64:
                BinaryPrimitives.WriteUInt64LittleEndian(fixedBytes, field.Value);
                stream.Write(fixedBytes);
                break;
            case WireType.Fixed32:
                BinaryPrimitives.WriteUInt32LittleEndian(fixedBytes, (uint)field.Value);
                stream.Write(fixedBytes[..4]);
                break;
            case WireType.LengthDelimited:
                WriteVarint(stream, (ulong)field.Bytes.Length);
                stream.Write(field.Bytes.Span);
                break;
            default:
                throw new InvalidOperationException($"Wire type {field.Type} is not written.");
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            Need(span, at, 1);
            var b = span[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException($"protobuf varint longer than 10 bytes at byte {at}.");
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }

    private static void Need(ReadOnlySpan<byte> span, int at, int bytes)
    {
        if (span.Length - at < bytes) throw new InvalidDataException($"protobuf message ends inside a field at byte {at}.");
    }
}
