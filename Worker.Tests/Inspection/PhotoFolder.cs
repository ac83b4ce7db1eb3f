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

    /// <summary>A config/ folder with this appsettings.json, and the repository's templates/ beside it (check-config renders them).</summary>
    public string WriteConfig(string json)
    {
        var config = System.IO.Path.Combine(Path, "config");
        Directory.CreateDirectory(config);
        File.WriteAllText(System.IO.Path.Combine(config, "appsettings.json"), json);
        var templates = System.IO.Path.Combine(Path, "templates");
        Directory.CreateDirectory(templates);
        var source = System.IO.Path.Combine(RepositoryRoot(), "templates");
        if (Directory.Exists(source))
            foreach (var file in Directory.GetFiles(source))
                File.Copy(file, System.IO.Path.Combine(templates, System.IO.Path.GetFileName(file)), overwrite: true);
        return config;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "CollectionWorker.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a scanner may still hold a file; the OS temp cleaner takes it */ }
    }
}
