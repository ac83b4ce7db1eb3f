namespace CollectionWorker.Inspection.Face;

/// <summary>A face proposal from one anchor: geometry in photo pixels and its score.</summary>
public readonly record struct FaceCandidate(FaceBox Box, FaceLandmarks Landmarks, float Score);

/// <summary>
/// MediaPipe's weighted non-maximum suppression: overlapping proposals are averaged, weighted by
/// score, instead of keeping only the best one; this steadies the box and the keypoints.
/// </summary>
public static class WeightedNms
{
    public static List<FaceCandidate> Merge(List<FaceCandidate> candidates, float iouThreshold)
    {
        var sorted = candidates.OrderByDescending(c => c.Score).ToList();
        var used = new bool[sorted.Count];
        var merged = new List<FaceCandidate>();
        Span<FacePoint> points = stackalloc FacePoint[FaceLandmarks.Count];
        for (var i = 0; i < sorted.Count; i++)
        {
            if (used[i]) continue;
            var best = sorted[i];
            float total = 0, cx = 0, cy = 0, bw = 0, bh = 0;
            points.Clear();
            for (var j = i; j < sorted.Count; j++)
            {
                if (used[j]) continue;
                var c = sorted[j];
                if (j != i && best.Box.IntersectionOverUnion(c.Box) < iouThreshold) continue;
                used[j] = true;
                var s = c.Score;
                total += s;
                cx += c.Box.CenterX * s;
                cy += c.Box.CenterY * s;
                bw += c.Box.Width * s;
                bh += c.Box.Height * s;
                for (var k = 0; k < FaceLandmarks.Count; k++)
                    points[k] = new FacePoint(points[k].X + c.Landmarks[k].X * s, points[k].Y + c.Landmarks[k].Y * s);
            }
            for (var k = 0; k < FaceLandmarks.Count; k++)
                points[k] = new FacePoint(points[k].X / total, points[k].Y / total);
            merged.Add(new FaceCandidate(
                FaceBox.FromCenter(cx / total, cy / total, bw / total, bh / total),
                FaceLandmarks.FromSpan(points),
                best.Score));
        }
        return merged;
    }
}
