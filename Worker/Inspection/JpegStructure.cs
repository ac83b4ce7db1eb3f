namespace CollectionWorker.Inspection;

/// <summary>
/// What the JPEG's own markers say, read without decoding: the frame type (baseline or
/// progressive), dimensions, component count, Adobe colour transform, quantisation tables (for
/// the quality estimate) and whether the file ends properly. Tolerates any garbage: it only reads.
/// </summary>
public sealed class JpegStructure
{
    public bool IsJpeg { get; private init; }
    public bool HasFrame { get; private set; }
    public bool Progressive { get; private set; }
    public bool Arithmetic { get; private set; }
    public int Width { get; private set; }
    public int Height { get; private set; }
    public int Components { get; private set; }
    public int Precision { get; private set; }
    /// <summary>Adobe APP14 transform flag (0 = none, 1 = YCbCr, 2 = YCCK), or -1 when there is no Adobe marker.</summary>
    public int AdobeTransform { get; private set; } = -1;
    public bool EndsWithEoi { get; private set; }
    /// <summary>Dots per inch from the JFIF header, or null when the file records none (ImageSharp would say 96).</summary>
    public double? Dpi { get; private set; }
    /// <summary>IJG-style quality estimated from the luminance table, or null when no table was found.</summary>
    public int? EstimatedQuality { get; private set; }

    public bool IsCmyk => Components == 4;

    /// <summary>The container the bytes really hold, for a clear message when it is not JPEG.</summary>
    public static string SniffFormat(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "JPEG";
        if (b.Length >= 8 && b[..8].SequenceEqual<byte>([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "PNG";
        if (b.Length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return "GIF";
        if (b.Length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') return "WebP";
        if (b.Length >= 4 && ((b[0] == 'I' && b[1] == 'I' && b[2] == 42 && b[3] == 0) || (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && b[3] == 42))) return "TIFF";
        if (b.Length >= 2 && b[0] == 'B' && b[1] == 'M') return "BMP";
        if (b.Length >= 12 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') return "HEIC/AVIF";
        if (b.Length >= 4 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F') return "PDF";
        return "unknown";
    }

    // The IJG standard luminance table (order does not matter: only its sum is used).
    private static ReadOnlySpan<byte> StandardLuminance =>
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    public static JpegStructure Read(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4 || b[0] != 0xFF || b[1] != 0xD8) return new JpegStructure { IsJpeg = false };
        var s = new JpegStructure { IsJpeg = true };
        var pos = 2;
        while (pos + 4 <= b.Length)
        {
            if (b[pos] != 0xFF) return s; // lost sync in the header: corrupt, and the decoder will say so
            var marker = b[pos + 1];
            if (marker == 0xFF) { pos++; continue; } // fill byte
            if (marker == 0xD9) { s.EndsWithEoi = true; return s; }
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { pos += 2; continue; }
            var length = (b[pos + 2] << 8) | b[pos + 3];
            if (length < 2 || pos + 2 + length > b.Length) return s;
            var seg = b.Slice(pos + 4, length - 2);
            switch (marker)
            {
                case >= 0xC0 and <= 0xCF when marker is not (0xC4 or 0xC8 or 0xCC):
                    if (seg.Length >= 6 && !s.HasFrame)
                    {
                        s.HasFrame = true;
                        s.Progressive = marker is 0xC2 or 0xC6 or 0xCA or 0xCE;
                        s.Arithmetic = marker >= 0xC9;
                        s.Precision = seg[0];
                        s.Height = (seg[1] << 8) | seg[2];
                        s.Width = (seg[3] << 8) | seg[4];
                        s.Components = seg[5];
                    }
                    break;
                case 0xE0:
                    if (seg.Length >= 12 && seg[0] == 'J' && seg[1] == 'F' && seg[2] == 'I' && seg[3] == 'F' && seg[4] == 0)
                    {
                        var units = seg[7];
                        var density = (seg[8] << 8) | seg[9];
                        s.Dpi = units switch { 1 => density, 2 => Math.Round(density * 2.54), _ => null };
                    }
                    break;
                case 0xDB:
                    s.ReadQuantisation(seg);
                    break;
                case 0xEE:
                    if (seg.Length >= 12 && seg[0] == 'A' && seg[1] == 'd' && seg[2] == 'o' && seg[3] == 'b' && seg[4] == 'e')
                        s.AdobeTransform = seg[11];
                    break;
                case 0xDA:
                    // Entropy-coded data follows: the file is whole if an EOI marker appears after it.
                    s.EndsWithEoi = HasEoiAfter(b, pos + 2 + length);
                    return s;
            }
            pos += 2 + length;
        }
        return s;
    }

    private void ReadQuantisation(ReadOnlySpan<byte> seg)
    {
        var i = 0;
        while (i < seg.Length)
        {
            var precision = seg[i] >> 4;
            var id = seg[i] & 0x0F;
            var size = precision == 0 ? 64 : 128;
            if (i + 1 + size > seg.Length) return;
            if (id == 0 && EstimatedQuality is null)
            {
                long sum = 0;
                for (var k = 0; k < 64; k++)
                    sum += precision == 0 ? seg[i + 1 + k] : (seg[i + 1 + 2 * k] << 8) | seg[i + 2 + 2 * k];
                long standard = 0;
                foreach (var v in StandardLuminance) standard += v;
                // Invert the IJG scaling: table = standard * scale / 100, scale = 5000/q (q<50) or 200-2q.
                var scale = 100.0 * sum / standard;
                var q = scale <= 100 ? (200 - scale) / 2 : 5000 / scale;
                EstimatedQuality = (int)Math.Round(Math.Clamp(q, 1, 100));
            }
            i += 1 + size;
        }
    }

    private static bool HasEoiAfter(ReadOnlySpan<byte> b, int start)
    {
        // Scan from the end: an EOI near the end (trailing padding allowed) proves the scan data is complete enough.
        for (var i = b.Length - 2; i >= start; i--)
            if (b[i] == 0xFF && b[i + 1] == 0xD9) return true;
        return false;
    }
}
