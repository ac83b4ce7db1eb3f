using System.Text;

namespace CollectionWorker.Tests.Support;

/// <summary>
/// Writes an OLE compound file (MS-CFB version 3, 512-byte sectors), the container of old .xls files
/// and of password-protected Office workbooks: an encrypted .xlsx is a compound file holding the
/// streams EncryptionInfo and EncryptedPackage. Streams are written as regular sectors (each given at
/// least 4,096 bytes, the mini-stream cut-off, so no mini stream is needed).
/// </summary>
public static class CompoundFile
{
    private const uint EndOfChain = 0xFFFFFFFE, FreeSect = 0xFFFFFFFF, FatSect = 0xFFFFFFFD, NoStream = 0xFFFFFFFF;

    public static void Write(string path, params (string Name, byte[] Data)[] streams)
    {
        var padded = streams.Select(s => (s.Name, Data: s.Data.Length >= 4096 ? s.Data : [.. s.Data, .. new byte[4096 - s.Data.Length]])).ToList();
        var sectors = new List<byte[]>();
        var fat = new List<uint>();
        uint Chain(byte[] data)
        {
            var first = (uint)sectors.Count;
            for (var off = 0; off < data.Length; off += 512)
            {
                var sector = new byte[512];
                Array.Copy(data, off, sector, 0, Math.Min(512, data.Length - off));
                sectors.Add(sector);
                fat.Add(off + 512 >= data.Length ? EndOfChain : (uint)sectors.Count);
            }
            return first;
        }

        var starts = padded.Select(s => Chain(s.Data)).ToList();
        // The directory: the root entry, then one entry per stream, chained as siblings to its right.
        var directory = new byte[512 * (1 + (padded.Count + 1) / 4)];
        WriteEntry(directory, 0, "Root Entry", type: 5, child: padded.Count > 0 ? 1u : NoStream, right: NoStream, start: EndOfChain, size: 0);
        for (var i = 0; i < padded.Count; i++)
            WriteEntry(directory, i + 1, padded[i].Name, type: 2, child: NoStream, right: i + 1 < padded.Count ? (uint)(i + 2) : NoStream,
                start: starts[i], size: (uint)padded[i].Data.Length);
        var directoryStart = Chain(directory);
        var fatSector = (uint)sectors.Count;
        fat.Add(FatSect);
        sectors.Add(new byte[512]);
        var fatBytes = new byte[512];
        for (var i = 0; i < 128; i++) BitConverter.GetBytes(i < fat.Count ? fat[i] : FreeSect).CopyTo(fatBytes, i * 4);
        sectors[(int)fatSector] = fatBytes;

        var header = new byte[512];
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(header, 0);
        BitConverter.GetBytes((ushort)0x003E).CopyTo(header, 24); // minor version
        BitConverter.GetBytes((ushort)3).CopyTo(header, 26);      // major version 3
        BitConverter.GetBytes((ushort)0xFFFE).CopyTo(header, 28); // little-endian
        BitConverter.GetBytes((ushort)9).CopyTo(header, 30);      // 512-byte sectors
        BitConverter.GetBytes((ushort)6).CopyTo(header, 32);      // 64-byte mini sectors
        BitConverter.GetBytes(1u).CopyTo(header, 44);             // one FAT sector
        BitConverter.GetBytes(directoryStart).CopyTo(header, 48);
        BitConverter.GetBytes(4096u).CopyTo(header, 56);          // mini stream cut-off
        BitConverter.GetBytes(EndOfChain).CopyTo(header, 60);     // no mini FAT
        BitConverter.GetBytes(EndOfChain).CopyTo(header, 68);     // no DIFAT sectors
        BitConverter.GetBytes(fatSector).CopyTo(header, 76);
        for (var i = 1; i < 109; i++) BitConverter.GetBytes(FreeSect).CopyTo(header, 76 + i * 4);

        using var file = File.Create(path);
        file.Write(header);
        foreach (var s in sectors) file.Write(s);
    }

    private static void WriteEntry(byte[] directory, int index, string name, byte type, uint child, uint right, uint start, uint size)
    {
        var at = index * 128;
        var utf16 = Encoding.Unicode.GetBytes(name + "\0");
        utf16.CopyTo(directory, at);
        BitConverter.GetBytes((ushort)utf16.Length).CopyTo(directory, at + 64);
        directory[at + 66] = type;
        directory[at + 67] = 1; // black
        BitConverter.GetBytes(NoStream).CopyTo(directory, at + 68); // left sibling
        BitConverter.GetBytes(right).CopyTo(directory, at + 72);
        BitConverter.GetBytes(child).CopyTo(directory, at + 76);
        BitConverter.GetBytes(start).CopyTo(directory, at + 116);
        BitConverter.GetBytes(size).CopyTo(directory, at + 120);
    }
}
