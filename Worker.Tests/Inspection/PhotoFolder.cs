namespace CollectionWorker.Tests.Inspection;

/// <summary>A temporary folder of real photo files for one test class; deleted afterwards.</summary>
public sealed class PhotoFolder : IDisposable
{
    public PhotoFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cw-photos-" + Guid.NewGuid().ToString("N")[..10]);

    public string Write(string name, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a scanner may still hold a file; the OS temp cleaner takes it */ }
    }
}
