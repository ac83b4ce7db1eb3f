namespace CollectionWorker.Host;

/// <summary>The folder appsettings.json was read from (null: embedded defaults); templates/ sits beside it.</summary>
public sealed record ConfigLocation(string? Directory)
{
    public string DefaultTemplatesDirectory => Directory is null
        ? Path.Combine(AppContext.BaseDirectory, "templates")
        : Path.GetFullPath(Path.Combine(Directory, "..", "templates"));
}
