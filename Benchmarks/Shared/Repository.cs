/// <summary>The repository the benchmark runs from: its root, and its templates beside a benchmark's own config folder.</summary>
static class Repository
{
    public static string Root
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "CollectionWorker.sln"))) return d.FullName;
            throw new InvalidOperationException("CollectionWorker.sln not found above the benchmark: run it from inside the repository");
        }
    }

    /// <summary>The service checks its e-mail templates at start; they sit beside the config folder.</summary>
    public static void CopyTemplatesBeside(string configDirectory)
    {
        var target = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configDirectory))!, "templates");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "templates")))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
    }
}
