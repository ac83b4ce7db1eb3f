namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Best-effort signs, measured around the detected eyes, of what the notice forbids but geometry
/// cannot see: glasses (a dark frame arc under each eye), eyes closed (no white of the eye in the eye box),
/// hair over the brows and eyes (the eye box mostly hair-dark), hair over the ears (hair-dark just
/// outside the ear points). All relative to the face's own skin,
/// so skin tone and exposure do not decide. Tuned on drawn faces only: they ask the studio to look,
/// they never reject.
/// </summary>
public sealed record FaceFlagMeasurements(double GlassesArc, double EyeWhite, double HairCover, double EarCover, double SkinLuma)
{
    public static FaceFlagMeasurements? Measure(byte[] rgb, int width, int height, FaceLandmarks l)
    {
        var d = Math.Sqrt(Math.Pow(l.LeftEye.X - l.RightEye.X, 2) + Math.Pow(l.LeftEye.Y - l.RightEye.Y, 2));
        if (d < 20) return null; // too small a face to say anything about its eyes

        int Luma(int x, int y)
        {
            x = Math.Clamp(x, 0, width - 1);
            y = Math.Clamp(y, 0, height - 1);
            var i = (y * width + x) * 3;
            return (77 * rgb[i] + 150 * rgb[i + 1] + 29 * rgb[i + 2]) >> 8;
        }

        // Skin: the cheeks below each eye, well clear of lids and frames.
        var cheek = new List<int>();
        foreach (var e in new[] { l.RightEye, l.LeftEye })
            for (var y = (int)(e.Y + 0.5 * d); y < e.Y + 0.6 * d; y++)
                for (var x = (int)(e.X - 0.1 * d); x < e.X + 0.1 * d; x++) cheek.Add(Luma(x, y));
        cheek.Sort();
        var skin = cheek[cheek.Count / 2];

        double glasses = 1, iris = 1, hair = 0; // iris: the smaller share of eye white of the two eyes
        foreach (var e in new[] { l.RightEye, l.LeftEye })
        {
            // Frame: columns under the eye whose profile dips well below the skin where a lower rim runs.
            int columns = 0, dipped = 0;
            for (var x = (int)(e.X - 0.15 * d); x <= e.X + 0.15 * d; x++)
            {
                columns++;
                var min = 255;
                for (var y = (int)(e.Y + 0.15 * d); y <= e.Y + 0.45 * d; y++) min = Math.Min(min, Luma(x, y));
                if (min < skin * 0.55) dipped++;
            }
            glasses = Math.Min(glasses, dipped / (double)columns);

            // Open eye: the white of the eye is clearly brighter than the skin, whatever the skin tone
            // (darkness would not do: a dark iris on dark skin, or a soft photo, is not much darker).
            int eyeBox = 0, bright = 0;
            var white = skin + (255 - skin) * 0.3;
            // A generous box: the landmarks are good to a few pixels, the eye's opening is not much more.
            for (var y = (int)(e.Y - 0.12 * d); y <= e.Y + 0.12 * d; y++)
                for (var x = (int)(e.X - 0.2 * d); x <= e.X + 0.2 * d; x++, eyeBox++)
                    if (Luma(x, y) > white) bright++;
            iris = Math.Min(iris, bright / (double)eyeBox);

            int browBox = 0, hairDark = 0;
            for (var y = (int)(e.Y - 0.35 * d); y <= e.Y + 0.05 * d; y++)
                for (var x = (int)(e.X - 0.2 * d); x <= e.X + 0.2 * d; x++, browBox++)
                    if (Luma(x, y) < skin * 0.35) hairDark++;
            hair = Math.Max(hair, hairDark / (double)browBox);
        }
        // Ears: just outside each tragion point the ear should show skin, not hair.
        double ears = 0;
        foreach (var (t, side) in new[] { (l.RightEarTragion, -1), (l.LeftEarTragion, 1) })
        {
            int box = 0, hairDark = 0;
            for (var y = (int)(t.Y - 0.15 * d); y <= t.Y + 0.15 * d; y++)
                for (var k = 0.05 * d; k <= 0.3 * d; k += 1, box++)
                    if (Luma((int)(t.X + side * k), y) < skin * 0.35) hairDark++;
            ears = Math.Max(ears, hairDark / (double)box);
        }
        return new FaceFlagMeasurements(glasses, iris, hair, ears, skin);
    }
}
