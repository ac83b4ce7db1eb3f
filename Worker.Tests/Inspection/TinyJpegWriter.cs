namespace CollectionWorker.Tests.Inspection;

/// <summary>
/// Writes real JPEG files that ImageSharp's encoder cannot: CMYK (4 components with an Adobe
/// marker) and progressive. Each 8x8 block is flat (DC coefficient only), which keeps the
/// entropy coding to a few lines while staying a valid, decodable JPEG.
/// </summary>
public static class TinyJpegWriter
{
    /// <param name="sample">value (0–255) of component c at block (bx, by)</param>
    public static byte[] Write(int width, int height, int components, Func<int, int, int, int> sample, bool progressive = false, bool adobe = false)
    {
        var o = new MemoryStream();
        void Marker(int m) { o.WriteByte(0xFF); o.WriteByte((byte)m); }
        void Segment(int m, byte[] body)
        {
            Marker(m);
            o.WriteByte((byte)((body.Length + 2) >> 8)); o.WriteByte((byte)(body.Length + 2));
            o.Write(body);
        }

        Marker(0xD8);
        if (adobe) Segment(0xEE, [(byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0, 100, 0, 0, 0, 0, 0]);
        Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);
        var frame = new List<byte> { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)components };
        for (var c = 0; c < components; c++) frame.AddRange([(byte)(c + 1), 0x11, 0]);
        Segment(progressive ? 0xC2 : 0xC0, frame.ToArray());
        // DC table: categories 0–11, all 4-bit codes. AC table: only EOB (0x00), a 1-bit code.
        var dcCounts = new byte[16];
        dcCounts[3] = 12;
        Segment(0xC4, [0x00, .. dcCounts, .. Enumerable.Range(0, 12).Select(v => (byte)v)]);
        var acCounts = new byte[16];
        acCounts[0] = 1;
        Segment(0xC4, [0x10, .. acCounts, 0x00]);

        int bw = (width + 7) / 8, bh = (height + 7) / 8;
        if (!progressive)
        {
            Scan(Enumerable.Range(0, components).ToArray(), 0, 63);
            var bits = new BitWriter(o);
            var prev = new int[components];
            for (var by = 0; by < bh; by++)
                for (var bx = 0; bx < bw; bx++)
                    for (var c = 0; c < components; c++)
                    {
                        prev[c] = Dc(bits, sample(c, bx, by), prev[c]);
                        bits.Write(0, 1); // EOB: no AC coefficients
                    }
            bits.Flush();
        }
        else
        {
            Scan(Enumerable.Range(0, components).ToArray(), 0, 0);
            var bits = new BitWriter(o);
            var prev = new int[components];
            for (var by = 0; by < bh; by++)
                for (var bx = 0; bx < bw; bx++)
                    for (var c = 0; c < components; c++) prev[c] = Dc(bits, sample(c, bx, by), prev[c]);
            bits.Flush();
            for (var c = 0; c < components; c++)
            {
                Scan([c], 1, 63);
                var ac = new BitWriter(o);
                for (var i = 0; i < bw * bh; i++) ac.Write(0, 1); // EOB0 for every block
                ac.Flush();
            }
        }
        Marker(0xD9);
        return o.ToArray();

        void Scan(int[] comps, int ss, int se)
        {
            var body = new List<byte> { (byte)comps.Length };
            foreach (var c in comps) body.AddRange([(byte)(c + 1), 0x00]);
            body.AddRange([(byte)ss, (byte)se, 0]);
            Segment(0xDA, body.ToArray());
        }
    }

    private static int Dc(BitWriter bits, int value, int previous)
    {
        var dc = 8 * (Math.Clamp(value, 0, 255) - 128);
        var diff = dc - previous;
        var magnitude = Math.Abs(diff);
        var category = 0;
        while (magnitude >> category != 0) category++;
        bits.Write(category, 4);
        if (category > 0) bits.Write(diff < 0 ? diff + (1 << category) - 1 : diff, category);
        return dc;
    }

    private sealed class BitWriter(Stream stream)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8) Emit();
            }
        }

        public void Flush()
        {
            while (_count != 0) Write(1, 1); // pad with 1-bits
        }

        private void Emit()
        {
            stream.WriteByte((byte)_buffer);
            if (_buffer == 0xFF) stream.WriteByte(0);
            _buffer = 0;
            _count = 0;
        }
    }
}
