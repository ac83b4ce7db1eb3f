namespace CollectionWorker.Inspection;

/// <summary>One file's turn in <see cref="ParallelInspector.InspectFilesAsync"/>: its inspection, or why it could not be read.</summary>
public sealed record FileInspection(string File, InspectionResult? Result, Exception? ReadError);

/// <summary>Many files through one <see cref="PhotoInspector"/>, one photo per core, results in the order of the files.</summary>
public static class ParallelInspector
{
    /// <summary>
    /// Inspects <paramref name="files"/> on <paramref name="parallelism"/> cores and yields each in turn; a file
    /// that cannot be read (missing, no permission) comes back with its <see cref="FileInspection.ReadError"/>.
    /// </summary>
    public static IAsyncEnumerable<FileInspection> InspectFilesAsync(this PhotoInspector inspector, IEnumerable<string> files,
        bool annotate, int parallelism, CancellationToken ct = default) =>
        OrderedParallel.SelectAsync(files, (file, _) => Task.FromResult(InspectOne(inspector, file, annotate)), parallelism, ct)
            .Select(x => x.Result);

    private static FileInspection InspectOne(PhotoInspector inspector, string file, bool annotate)
    {
        try
        {
            return new FileInspection(file, inspector.InspectFile(file, annotate), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileInspection(file, null, e);
        }
    }
}
