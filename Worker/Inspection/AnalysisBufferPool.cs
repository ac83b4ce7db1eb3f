namespace CollectionWorker.Inspection;

/// <summary>
/// The <see cref="AnalysisBuffers"/> of the photos an inspector is not inspecting right now, handed to the next
/// ones. One per inspector, shared by its threads (one photo per core): it never holds more sets than were in use
/// at once. A set of another shape (a photo of another size) is dropped and a fitting one made.
/// </summary>
public sealed class AnalysisBufferPool
{
    private readonly Stack<AnalysisBuffers> _free = new();

    /// <summary>A set for a photo of this shape, for one photo's exclusive use until it is returned.</summary>
    internal AnalysisBuffers Rent(PatchGrid.Shape shape)
    {
        lock (_free)
        {
            while (_free.TryPop(out var buffers))
                if (buffers.Shape == shape) return buffers;
        }
        return new AnalysisBuffers(shape);
    }

    /// <summary>Takes a set back; the photo that used it must not read it any more.</summary>
    internal void Return(AnalysisBuffers buffers)
    {
        lock (_free) _free.Push(buffers);
    }
}
