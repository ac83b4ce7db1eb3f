using System.Buffers;

namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Is there anywhere in the photo a face the 128 network did not find could be? A second face can
/// only be where the backdrop is not backdrop, and the silhouette already tells which patches differ
/// from it. What the face found explains is taken out: its head (the face box, a little wider for the
/// ears and higher for the hair; below the eyes the whole width of the person, for hair hanging beside
/// the face) and the person growing down from it — neck, shoulders, long hair — followed row by row,
/// sideways and downwards only, so a picture or a second person that merely touches the body from above
/// or beside stays unexplained. Skin on the body that the face's own skin does not run down to is not
/// explained either: a photo held against the chest or pasted onto the shoulder brings a face of its own.
/// If what is left holds no block the size of the smallest face the 256 network finds, there is no room
/// for another face and it need not look; anything else (an object, a photo in the photo, another
/// person) is doubt, and it looks as before.
/// </summary>
public static class SecondFaceRoom
{
    // The head around a BlazeFace box (about as wide as the head, brows to chin), in box sizes.
    private const float HeadSides = 0.25f;
    private const float HeadAbove = 0.6f;
    private const float HeadBelow = 0f;

    // A block of Room x Room patches (20 px at 480x640, 8 px of the 256 network's input) is the least that
    // counts: the smallest face the 256 network adds on the 480 photo-in-photo composites and the 288 drawn ones
    // is 26 px wide, standing in the backdrop with its hair and body (room for 14 blocks or more); on the body,
    // where only its skin is open (brows, eyes and mouth are not skin), the smallest is 35 px and the least room 6 blocks.
    // Tufts of hair on the crown, the top of a shoulder beside the neck and a strand below the ear, all real
    // and all unexplained, are at most 4 patches thick (the room-map of the calibration photos shows them; a
    // block of 3 or 4 found them on 8 or 2 of the 40).
    private const int Room = 5;
    // Backdrop patches between the stripes of a shirt that the body is followed across (12 px at 480x640, as the silhouette's MaxRestingGap).
    private const int MaxGap = 3;

    // Skin in CIELAB: a warm hue (between red and yellow) with some colour, neither black nor white.
    // tan 15° and tan 75° bound the hue without an atan2 per patch.
    private const float SkinMinChroma2 = 8 * 8;
    private const float SkinHueLow = 0.268f, SkinHueHigh = 3.73f;
    private const float SkinMinL = 20, SkinMaxL = 92;
    // What surely is not skin: a clear colour of another hue (blue, green, purple backdrops and clothes; tan 10°
    // and tan 80°), or light and colourless (white and grey backdrops and shirts). Dark and dim patches pass: the
    // shadow under the chin, a crease of the neck.
    private const float NotSkinMinChroma2 = 6 * 6;
    private const float NotSkinHueLow = 0.176f, NotSkinHueHigh = 5.67f;
    private const float LightColourlessL = 60;

    /// <summary>Blocks of patches that are neither backdrop nor explained by <paramref name="faces"/>; 0 means no room for another face.</summary>
    public static int RoomForAnotherFace(Silhouette silhouette, IReadOnlyList<DetectedFace> faces)
    {
        // Nothing found, or several faces already (the 256 network may add to their count): everywhere is doubt.
        if (faces.Count != 1) return silhouette.IsBackground.Length;
        return Measure(silhouette, faces[0].Box, null, null);
    }

    /// <summary>Per patch: inside a block that counts as room for another face (what <see cref="RoomForAnotherFace"/> counts; for maps).</summary>
    public static bool[] RoomBlocks(Silhouette silhouette, IReadOnlyList<DetectedFace> faces)
    {
        var marked = new bool[silhouette.IsBackground.Length];
        if (faces.Count == 1) Measure(silhouette, faces[0].Box, null, marked);
        return marked;
    }

    /// <summary>Per patch: could be part of another face: not backdrop, and not explained by the face in <paramref name="box"/>.</summary>
    public static bool[] Open(Silhouette silhouette, FaceBox box)
    {
        var open = new bool[silhouette.IsBackground.Length];
        Measure(silhouette, box, open, null);
        return open;
    }

    /// <summary>The blocks of open patches, and (for maps) which patches are open and which are in a block.</summary>
    private static int Measure(Silhouette silhouette, FaceBox box, bool[]? openOut, bool[]? marked)
    {
        var n = silhouette.IsBackground.Length;
        var pool = ArrayPool<bool>.Shared;
        bool[] explained = pool.Rent(n), skin = pool.Rent(n), passable = pool.Rent(n), reached = pool.Rent(n);
        try
        {
            Explained(silhouette, box, explained.AsSpan(0, n));
            SkinApartFromTheFace(silhouette, box, skin.AsSpan(0, n), passable.AsSpan(0, n), reached.AsSpan(0, n));
            // Open: not backdrop, and unexplained or skin the face's does not reach (skin is cleared where nothing is asked).
            var background = silhouette.IsBackground;
            if (openOut is not null)
                for (var p = 0; p < n; p++) openOut[p] = !background[p] && (!explained[p] || (skin[p] && !reached[p]));
            return Blocks(silhouette.Grid, background, explained, skin, reached, marked);
        }
        finally
        {
            pool.Return(explained);
            pool.Return(skin);
            pool.Return(passable);
            pool.Return(reached);
        }
    }

    private static int Blocks(PatchGrid g, bool[] background, bool[] explained, bool[] skin, bool[] reached, bool[]? marked)
    {
        int cols = g.Cols, room = 0;
        // Per column, how many open patches end at this row; a block ends wherever Room columns in a row all reach Room.
        Span<int> down = cols <= 512 ? stackalloc int[cols] : new int[cols];
        down.Clear();
        for (var r = 0; r < g.Rows; r++)
        {
            var row = r * cols;
            var across = 0;
            for (var c = 0; c < cols; c++)
            {
                var p = row + c;
                var open = !background[p] && (!explained[p] || (skin[p] && !reached[p]));
                down[c] = open ? down[c] + 1 : 0;
                across = down[c] >= Room ? across + 1 : 0;
                if (across < Room) continue;
                room++;
                if (marked is null) continue;
                for (var dr = 0; dr < Room; dr++)
                    marked.AsSpan(p - dr * cols - Room + 1, Room).Fill(true);
            }
        }
        return room;
    }

    /// <summary>Per patch: part of the head of the face in <paramref name="box"/> or of the person below it.</summary>
    public static bool[] Explained(Silhouette silhouette, FaceBox box)
    {
        var explained = new bool[silhouette.IsBackground.Length];
        Explained(silhouette, box, explained);
        return explained;
    }

    private static void Explained(Silhouette silhouette, FaceBox box, Span<bool> explained)
    {
        var g = silhouette.Grid;
        var isSubject = silhouette.IsSubject;
        explained.Clear();
        var b = box;
        int c0 = Math.Max(0, (int)MathF.Floor((b.Left - HeadSides * b.Width) / g.Size)),
            c1 = Math.Min(g.Cols - 1, (int)MathF.Floor((b.Right + HeadSides * b.Width) / g.Size)),
            r0 = Math.Max(0, (int)MathF.Floor((b.Top - HeadAbove * b.Height) / g.Size)),
            r1 = Math.Min(g.Rows - 1, (int)MathF.Floor((b.Bottom + HeadBelow * b.Height) / g.Size)),
            centre = Math.Clamp((int)(b.CenterX / g.Size), 0, g.Cols - 1),
            middle = Math.Clamp((int)(b.CenterY / g.Size), r0, r1);
        // The head: in each of its rows, the run of person through the face's centre, within the box; below the
        // middle of the face (about the eyes) the whole run, however wide: hair hanging beside the cheeks and
        // flaring out at the shoulders (london_129) is joined to the face along the row. A photo beside the head
        // stands higher (beside the hair, where the box still bounds the run) or apart from the face.
        for (var r = r0; r <= r1; r++)
        {
            var row = r * g.Cols;
            if (!isSubject[row + centre]) continue;
            int left = r > middle ? 0 : c0, right = r > middle ? g.Cols - 1 : c1;
            for (var c = centre; c >= left && isSubject[row + c]; c--) explained[row + c] = true;
            for (var c = centre + 1; c <= right && isSubject[row + c]; c++) explained[row + c] = true;
        }
        // The hair above it, up from the head within the same columns.
        for (var r = r0 - 1; r >= 0; r--)
        {
            var row = r * g.Cols;
            for (var c = c0; c <= c1; c++)
                if (isSubject[row + c] && explained[row + g.Cols + c]) explained[row + c] = true;
            for (var c = c0 + 1; c <= c1; c++)
                if (isSubject[row + c] && explained[row + c - 1]) explained[row + c] = true;
            for (var c = c1 - 1; c >= c0; c--)
                if (isSubject[row + c] && explained[row + c + 1]) explained[row + c] = true;
        }
        // The person below the head (neck, shoulders, long hair): never up, so what only touches the body from
        // above or beside stays unexplained. Downwards it also crosses a thin band of backdrop colour, as the
        // silhouette joins the stripes of a shirt that the backdrop cut apart (light stripes on a light backdrop).
        GrowDown(g, explained, isSubject, r1 + 1, silhouette.IsBackground);
    }

    /// <summary>
    /// Skin on the person that the face's skin does not run down to (<paramref name="skin"/> and not <paramref name="reached"/>): another face's. From the middle of the face
    /// its skin is followed down and sideways (as the body is) through anything that may be skin in shadow; a
    /// clear colour of another hue or a light colourless patch stops it. The neck, a bare chest and the shadow
    /// under the chin are reached; a face in a photo on the body is fenced off by that photo's own backdrop and
    /// by the clothing around it. Beige or brown clothing lets the face's skin through and hides such a photo, as
    /// the body did before this was looked at.
    /// </summary>
    private static void SkinApartFromTheFace(Silhouette silhouette, FaceBox box, Span<bool> skin, Span<bool> passable, Span<bool> reached)
    {
        var g = silhouette.Grid;
        var n = skin.Length;
        var colour = g.Color;
        var background = silhouette.IsBackground;
        int c0 = Math.Clamp((int)((box.CenterX - box.Width / 4) / g.Size), 0, g.Cols - 1),
            c1 = Math.Clamp((int)((box.CenterX + box.Width / 4) / g.Size), 0, g.Cols - 1),
            r0 = Math.Clamp((int)((box.CenterY - box.Height / 4) / g.Size), 0, g.Rows - 1),
            r1 = Math.Clamp((int)((box.CenterY + box.Height / 4) / g.Size), 0, g.Rows - 1);
        // Above the middle of the face nothing is asked: the head rules explain it or leave it open already.
        var start = r0 * g.Cols;
        skin[..start].Clear();
        passable[..start].Clear();
        reached.Clear();
        for (var p = start; p < n; p++)
        {
            if (background[p])
            {
                skin[p] = passable[p] = false;
                continue;
            }
            var x = colour[p];
            float a = x.A, b = x.B, chroma2 = a * a + b * b;
            skin[p] = x.L is > SkinMinL and < SkinMaxL && a > 0 && chroma2 >= SkinMinChroma2 && b > SkinHueLow * a && b < SkinHueHigh * a;
            // Surely not skin: a clear colour of another hue, or light and colourless.
            passable[p] = chroma2 < NotSkinMinChroma2
                ? x.L <= LightColourlessL
                : a > 0 && b > NotSkinHueLow * a && b < NotSkinHueHigh * a;
        }
        for (var r = r0; r <= r1; r++)
            for (var c = c0; c <= c1; c++)
                reached[g.Index(c, r)] = skin[g.Index(c, r)];
        GrowDown(g, reached, passable, r0);
        // The seeds' top row is where the face's skin starts from: what the eyes cut off from it there is its own.
        skin.Slice(start, Math.Min(n - start, g.Cols)).Clear();
    }

    /// <summary>
    /// From <paramref name="fromRow"/> down: a passable patch below a marked one is marked, and so is the rest of its
    /// row's passable run. With <paramref name="gap"/>, also one below a marked one across at most
    /// <see cref="MaxGap"/> gap patches (backdrop) in its column.
    /// </summary>
    private static void GrowDown(PatchGrid g, Span<bool> marked, ReadOnlySpan<bool> passable, int fromRow, ReadOnlySpan<bool> gap = default)
    {
        var cols = g.Cols;
        // Per column: gap patches since the last marked one above (more than MaxGap: none within reach).
        Span<int> since = cols <= 512 ? stackalloc int[cols] : new int[cols];
        since.Fill(MaxGap + 1);
        for (var r = Math.Max(fromRow, 0); r < g.Rows; r++)
        {
            var row = r * cols;
            // Left to right: from above or from the left (one pass gives what a pass down and then one rightwards would).
            var left = false;
            for (var c = 0; c < cols; c++)
            {
                var p = row + c;
                var above = r > 0 && (marked[p - cols] || (!gap.IsEmpty && since[c] <= MaxGap));
                left = marked[p] || (passable[p] && (left || above));
                marked[p] = left;
            }
            var right = false;
            for (var c = cols - 1; c >= 0; c--)
            {
                var p = row + c;
                right = marked[p] || (passable[p] && right);
                marked[p] = right;
            }
            if (gap.IsEmpty) continue;
            for (var c = 0; c < cols; c++)
            {
                var p = row + c;
                since[c] = marked[p] ? 0 : gap[p] && since[c] <= MaxGap ? since[c] + 1 : MaxGap + 1;
            }
        }
    }

}
