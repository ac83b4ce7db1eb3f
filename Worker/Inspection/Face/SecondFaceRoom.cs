namespace CollectionWorker.Inspection.Face;

/// <summary>
/// Is there anywhere in the photo a face the 128 network did not find could be? A second face can
/// only be where the backdrop is not backdrop, and the silhouette already tells which patches differ
/// from it. What the faces found explain is taken out: each head (the face box, a little wider for the
/// ears and higher for the hair) and the person growing down from it — neck, shoulders, long hair —
/// followed row by row, sideways and downwards only, so a picture or a second person that merely
/// touches the body from above or beside stays unexplained. If every other patch is backdrop there is
/// no room for another face and the 256 network need not look; anything else (an object, a photo in
/// the photo, another person, hair wider than the box) is doubt, and it looks as before.
/// </summary>
public static class SecondFaceRoom
{
    // The head around a BlazeFace box (about as wide as the head, brows to chin), in box sizes.
    private const float HeadSides = 0.25f;
    private const float HeadAbove = 0.6f;
    private const float HeadBelow = 0f;
    private const int Room = 3;

    /// <summary>Blocks of patches that are neither backdrop nor explained by <paramref name="faces"/>; 0 means no room for another face.</summary>
    public static int RoomForAnotherFace(Silhouette silhouette, IReadOnlyList<DetectedFace> faces)
    {
        var n = silhouette.IsBackground.Length;
        // Nothing found, or several faces already (the 256 network may add to their count): everywhere is doubt.
        if (faces.Count != 1) return n;
        var explained = Explained(silhouette, faces);
        var g = silhouette.Grid;
        var open = new bool[n];
        for (var p = 0; p < n; p++) open[p] = !silhouette.IsBackground[p] && !explained[p];
        // Wisps of hair along the outline and single odd patches are no room for a face: only a block of
        // Room x Room unexplained patches (12 px at 480x640, about 5 px in the 256 network's input, far
        // below the smallest face it finds) counts.
        var room = 0;
        for (var r = 0; r + Room <= g.Rows; r++)
            for (var c = 0; c + Room <= g.Cols; c++)
            {
                var all = true;
                for (var dr = 0; dr < Room && all; dr++)
                    for (var dc = 0; dc < Room && all; dc++)
                        all = open[g.Index(c + dc, r + dr)];
                if (all) room++;
            }
        return room;
    }

    /// <summary>Per patch: part of the head of the first face or of the person below it.</summary>
    public static bool[] Explained(Silhouette silhouette, IReadOnlyList<DetectedFace> faces)
    {
        var g = silhouette.Grid;
        var n = g.Cols * g.Rows;
        var isSubject = silhouette.IsSubject;
        var explained = new bool[n];
        if (faces.Count == 0) return explained;
        var b = faces[0].Box;
        int c0 = Math.Max(0, (int)MathF.Floor((b.Left - HeadSides * b.Width) / g.Size)),
            c1 = Math.Min(g.Cols - 1, (int)MathF.Floor((b.Right + HeadSides * b.Width) / g.Size)),
            r0 = Math.Max(0, (int)MathF.Floor((b.Top - HeadAbove * b.Height) / g.Size)),
            r1 = Math.Min(g.Rows - 1, (int)MathF.Floor((b.Bottom + HeadBelow * b.Height) / g.Size)),
            centre = Math.Clamp((int)(b.CenterX / g.Size), 0, g.Cols - 1);
        // The head: in each of its rows, the run of person through the face's centre, within the box; then
        // the hair above it, up from the head within the same columns.
        for (var r = r0; r <= r1; r++)
        {
            var row = r * g.Cols;
            if (!isSubject[row + centre]) continue;
            for (var c = centre; c >= c0 && isSubject[row + c]; c--) explained[row + c] = true;
            for (var c = centre + 1; c <= c1 && isSubject[row + c]; c++) explained[row + c] = true;
        }
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

        // The person below the head (neck, shoulders, long hair): down from an explained patch, then sideways
        // along the row's run of person; never up, so what only touches the body from above or beside stays unexplained.
        for (var r = r1 + 1; r < g.Rows; r++)
        {
            var row = r * g.Cols;
            for (var c = 0; c < g.Cols; c++)
                if (isSubject[row + c] && explained[row - g.Cols + c]) explained[row + c] = true;
            for (var c = 1; c < g.Cols; c++)
                if (isSubject[row + c] && explained[row + c - 1]) explained[row + c] = true;
            for (var c = g.Cols - 2; c >= 0; c--)
                if (isSubject[row + c] && explained[row + c + 1]) explained[row + c] = true;
        }
        return explained;
    }
}
