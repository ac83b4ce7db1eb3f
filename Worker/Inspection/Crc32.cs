namespace CollectionWorker.Inspection;

/// <summary>
/// CRC-32 as PNG (and zip, gzip) use it: polynomial 0xEDB88320 reflected, initial and final value all ones.
/// Slice-by-8: eight bytes per step through eight 256-entry tables built once, about 1.5 GB/s, so the checksum of
/// an evidence image's 250 KB of data costs a tenth of a millisecond.
/// </summary>
public static class Crc32
{
    private const uint Polynomial = 0xEDB88320;

    // Immutable once built: Tables[k][b] is the CRC of byte b followed by k zero bytes.
    private static readonly uint[][] Tables = Build();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        var t = Tables;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            var lo = crc ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            var hi = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            crc = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24]
                ^ t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
        }
        for (; i < data.Length; i++) crc = t[0][(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[][] Build()
    {
        var tables = new uint[8][];
        for (var k = 0; k < 8; k++) tables[k] = new uint[256];
        for (var b = 0u; b < 256; b++)
        {
            var c = b;
            for (var bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            tables[0][b] = c;
        }
        for (var b = 0; b < 256; b++)
            for (var k = 1; k < 8; k++) tables[k][b] = tables[0][tables[k - 1][b] & 0xFF] ^ (tables[k - 1][b] >> 8);
        return tables;
    }
}
