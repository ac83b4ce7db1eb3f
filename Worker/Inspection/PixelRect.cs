namespace CollectionWorker.Inspection;

/// <summary>A rectangle in image pixels, clipped by whoever makes it.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public bool IsEmpty => Width <= 0 || Height <= 0;

    public static PixelRect FromEdges(int left, int top, int right, int bottom, int maxWidth, int maxHeight)
    {
        left = Math.Clamp(left, 0, maxWidth);
        right = Math.Clamp(right, 0, maxWidth);
        top = Math.Clamp(top, 0, maxHeight);
        bottom = Math.Clamp(bottom, 0, maxHeight);
        return new PixelRect(left, top, Math.Max(0, right - left), Math.Max(0, bottom - top));
    }
}
