using CollectionWorker.Inspection;
using CollectionWorker.Inspection.Face;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

/// <summary>
/// Photos with a photo in them: each photo of the folder with another one of it shrunk to 10–40 % and
/// pasted into a corner or beside the head (12 per photo: 480 from the 40 calibration photos). The 256
/// network exists for these; this compares the inspection that asks it only where the backdrop leaves
/// room for another face with the one that runs it on every photo: every verdict and finding must match.
/// </summary>
public static class PhotoInPhoto
{
    private static readonly float[] Scales = [0.10f, 0.20f, 0.30f, 0.40f];
    private static readonly string[] Places = ["top-left", "top-right", "bottom-left", "bottom-right", "beside-head-left", "beside-head-right"];

    public static List<(string Name, byte[] Bytes)> Make(IReadOnlyList<(string Name, byte[] Bytes)> files, int perPhoto = 12)
    {
        var made = new List<(string, byte[])>();
        var encoder = new JpegEncoder { Quality = 90 };
        for (var h = 0; h < files.Count; h++)
        {
            for (var v = 0; v < perPhoto; v++)
            {
                using var host = Image.Load<Rgb24>(files[h].Bytes);
                var guestFile = files[(h + 1 + v) % files.Count];
                if (guestFile.Name == files[h].Name) continue;
                using var guest = Image.Load<Rgb24>(guestFile.Bytes);
                var scale = Scales[v % Scales.Length];
                var place = Places[v % Places.Length];
                var (w, gh) = ((int)(host.Width * scale), (int)(host.Height * scale));
                guest.Mutate(x => x.Resize(w, gh));
                const int margin = 8;
                var (x0, y0) = place switch
                {
                    "top-left" => (margin, margin),
                    "top-right" => (host.Width - w - margin, margin),
                    "bottom-left" => (margin, host.Height - gh - margin),
                    "bottom-right" => (host.Width - w - margin, host.Height - gh - margin),
                    "beside-head-left" => (margin, (int)(host.Height * 0.3f) - gh / 2),
                    _ => (host.Width - w - margin, (int)(host.Height * 0.3f) - gh / 2),
                };
                host.Mutate(x => x.DrawImage(guest, new Point(x0, Math.Max(0, y0)), 1f));
                using var ms = new MemoryStream();
                host.SaveAsJpeg(ms, encoder);
                made.Add(($"{Path.GetFileNameWithoutExtension(files[h].Name)}+{Path.GetFileNameWithoutExtension(guestFile.Name)}-{scale * 100:0}pct-{place}.jpg", ms.ToArray()));
            }
        }
        return made;
    }

    /// <summary>Inspects every composite both ways; returns the number whose verdict or findings differ.</summary>
    public static int Compare(List<(string Name, byte[] Bytes)> composites, PhotoInspector whereRoom, PhotoInspector always,
        FaceDetector detector, InspectionOptions options, Func<InspectionResult, string> describe, string? saveTo)
    {
        if (saveTo is not null) Directory.CreateDirectory(saveTo);
        int differ = 0, multiple = 0, multipleKept = 0, looked = 0;
        var jpegOnly = new Configuration(new JpegConfigurationModule());
        foreach (var (name, bytes) in composites)
        {
            if (saveTo is not null) File.WriteAllBytes(Path.Combine(saveTo, name), bytes);
            var reference = describe(always.Inspect(bytes, name, annotate: false));
            var seen = describe(whereRoom.Inspect(bytes, name, annotate: false));
            var isMultiple = reference.Contains(FaceRules.SeveralFaces);
            if (isMultiple) multiple++;
            if (isMultiple && seen.Contains(FaceRules.SeveralFaces)) multipleKept++;
            if (Doubt(bytes, detector, options, jpegOnly)) looked++;
            if (seen != reference)
            {
                differ++;
                Console.Error.WriteLine($"DIFFERS: {name}: {seen}\n   always: {reference}");
            }
        }
        Console.WriteLine($"{composites.Count} photos with a photo in them: FACE_MULTIPLE on {multiple} with the 256 network on every photo, " +
            $"kept on {multipleKept} of them when it looks only where there is room; the 256 network looked at {looked}; {differ} result(s) differ");
        return differ;
    }

    /// <summary>Would the 256 network look at this photo?</summary>
    public static bool Doubt(byte[] bytes, FaceDetector detector, InspectionOptions options, Configuration jpegOnly)
    {
        using var image = Image.Load<Rgb24>(jpegOnly, bytes);
        var rgb = new byte[image.Width * image.Height * 3];
        image.Frames.RootFrame.CopyPixelDataTo(rgb);
        var photo = new PhotoAnalysis(image.Width, image.Height, rgb, options);
        var doubt = false;
        detector.Detect(new RgbPixels(rgb, image.Width, image.Height), found => doubt = SecondFaceRoom.RoomForAnotherFace(photo.Silhouette, found) > 0);
        return doubt;
    }
}

/// <summary>What <see cref="SecondFaceRoom"/> sees, drawn in characters (every other patch row and column).</summary>
public static class RoomMap
{
    public static void Print(string name, byte[] bytes, FaceDetector detector, InspectionOptions options)
    {
        using var image = Image.Load<Rgb24>(bytes);
        var rgb = new byte[image.Width * image.Height * 3];
        image.Frames.RootFrame.CopyPixelDataTo(rgb);
        var photo = new PhotoAnalysis(image.Width, image.Height, rgb, options);
        var room = 0;
        var faces = detector.Detect(new RgbPixels(rgb, image.Width, image.Height), found => (room = SecondFaceRoom.RoomForAnotherFace(photo.Silhouette, found)) > 0);
        Console.WriteLine($"{name}: {faces.Count} face(s), largest {(faces.Count > 0 ? faces[0].Box.ToString() : "-")}; room for another face: {room} block(s)");
        var s = photo.Silhouette;
        var g = s.Grid;
        var explained = SecondFaceRoom.Explained(s, faces.Take(1).ToList());
        for (var r = 0; r < g.Rows; r += 2)
        {
            var line = new char[(g.Cols + 1) / 2];
            for (var c = 0; c < g.Cols; c += 2)
            {
                var p = g.Index(c, r);
                line[c / 2] = s.IsBackground[p] ? '.' : explained[p] ? 'e' : s.IsSubject[p] ? 'S' : 'I';
            }
            Console.WriteLine(new string(line));
        }
    }
}
