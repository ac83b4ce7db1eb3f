namespace CollectionWorker.Inspection.Face;

/// <summary>The face model is missing, altered or unusable; the message says which file and what to do.</summary>
public sealed class FaceModelException(string message, Exception? inner = null) : Exception(message, inner);
