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

    /// <summary>
    /// The photos that need the 256 network: the 128 one finds exactly one face and the 256 one adds another. Prints
    /// each with the size of the face it adds and the room the rule leaves (a miss when 0); returns the misses.
    /// </summary>
    public static int Needed(List<(string Name, byte[] Bytes)> composites, FaceDetector detector, InspectionOptions options)
    {
        var jpegOnly = new Configuration(new JpegConfigurationModule());
        int needed = 0, missed = 0;
        var smallest = float.MaxValue;
        foreach (var (name, bytes) in composites)
        {
            using var image = Image.Load<Rgb24>(jpegOnly, bytes);
            var rgb = new byte[image.Width * image.Height * 3];
            image.Frames.RootFrame.CopyPixelDataTo(rgb);
            var photo = new PhotoAnalysis(image.Width, image.Height, rgb, options);
            var room = -1;
            var first = 0;
            var faces = detector.Detect(new RgbPixels(rgb, image.Width, image.Height), found =>
            {
                first = found.Count;
                room = SecondFaceRoom.RoomForAnotherFace(photo.Silhouette, found);
                return true;
            });
            var added = faces.Where(f => f.Model == FaceModelKind.Back256).ToList();
            if (first != 1 || added.Count == 0) continue;
            needed++;
            smallest = Math.Min(smallest, added.Min(f => f.Box.Width));
            if (room == 0) missed++;
            Console.WriteLine($"{(room == 0 ? "MISSED" : "needed")} {name}: room {room}; added {string.Join(", ", added.Select(f => $"{f.Box.Width:0}px at ({f.Box.CenterX:0},{f.Box.CenterY:0})"))}");
        }
        Console.WriteLine($"{composites.Count} photos: the 256 network adds a face to the 128 one's single face on {needed}; the rule leaves no room on {missed} of them; smallest face it adds {smallest:0} px");
        return missed;
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

/// <summary>What <see cref="SecondFaceRoom"/> sees, drawn in characters (every other patch row and column) and, with a folder to save to, painted over the photo.</summary>
public static class RoomMap
{
    public static void Print(string name, byte[] bytes, FaceDetector detector, InspectionOptions options, string? saveTo = null)
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
        var explained = faces.Count > 0 ? SecondFaceRoom.Explained(s, faces[0].Box) : new bool[s.IsBackground.Length];
        var open = faces.Count > 0 ? SecondFaceRoom.Open(s, faces[0].Box) : new bool[s.IsBackground.Length];
        for (var r = 0; r < g.Rows; r += 2)
        {
            var line = new char[(g.Cols + 1) / 2];
            for (var c = 0; c < g.Cols; c += 2)
            {
                var p = g.Index(c, r);
                line[c / 2] = s.IsBackground[p] ? '.' : explained[p] && !open[p] ? 'e' : s.IsSubject[p] ? 'S' : 'I';
            }
            Console.WriteLine(new string(line));
        }
        if (saveTo is not null) Save(Path.Combine(saveTo, Path.ChangeExtension(name, ".room.png")), image, s, explained, open, faces);
    }

    /// <summary>
    /// The photo with what the rule sees painted over it: backdrop dimmed, explained patches tinted green, the
    /// person's open patches (unexplained, or skin apart from the face's) red, other regions blue, and every block that counts as room outlined yellow;
    /// the face boxes in white.
    /// </summary>
    private static void Save(string path, Image<Rgb24> image, Silhouette s, bool[] explained, bool[] open, IReadOnlyList<DetectedFace> faces)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var map = image.Clone();
        var g = s.Grid;
        var room = SecondFaceRoom.RoomBlocks(s, faces.Take(1).ToList());
        map.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var p = g.Index(Math.Min(g.Cols - 1, x / g.Size), Math.Min(g.Rows - 1, y / g.Size));
                    var px = row[x];
                    row[x] = s.IsBackground[p] ? new Rgb24((byte)(px.R / 3 + 150), (byte)(px.G / 3 + 150), (byte)(px.B / 3 + 150))
                        : explained[p] && !open[p] ? new Rgb24((byte)(px.R / 2), (byte)(px.G / 2 + 120), (byte)(px.B / 2))
                        : s.IsSubject[p] ? new Rgb24((byte)(px.R / 2 + 127), (byte)(px.G / 3), (byte)(px.B / 3))
                        : new Rgb24((byte)(px.R / 3), (byte)(px.G / 3), (byte)(px.B / 2 + 127));
                    if (room[p] && (x % g.Size == 0 || y % g.Size == 0)) row[x] = new Rgb24(255, 230, 0);
                }
            }
            foreach (var f in faces)
            {
                int x0 = Math.Clamp((int)f.Box.Left, 0, rows.Width - 1), x1 = Math.Clamp((int)f.Box.Right, 0, rows.Width - 1);
                int y0 = Math.Clamp((int)f.Box.Top, 0, rows.Height - 1), y1 = Math.Clamp((int)f.Box.Bottom, 0, rows.Height - 1);
                for (var x = x0; x <= x1; x++) { rows.GetRowSpan(y0)[x] = new Rgb24(255, 255, 255); rows.GetRowSpan(y1)[x] = new Rgb24(255, 255, 255); }
                for (var y = y0; y <= y1; y++) { rows.GetRowSpan(y)[x0] = new Rgb24(255, 255, 255); rows.GetRowSpan(y)[x1] = new Rgb24(255, 255, 255); }
            }
        });
        map.SaveAsPng(path);
    }
}
