using CollectionWorker.Host;

namespace CollectionWorker.Tests.Support;

/// <summary>Runs the real command line in-process against a temp config and data directory.</summary>
public sealed class TestHost : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TestHost(string? appsettingsJson = null)
    {
        ConfigDirectory = System.IO.Path.Combine(_dir.Path, "config");
        DataDirectory = System.IO.Path.Combine(_dir.Path, "data");
        Directory.CreateDirectory(ConfigDirectory);
        System.IO.File.WriteAllText(System.IO.Path.Combine(ConfigDirectory, "appsettings.json"), appsettingsJson ?? "{}");
        // templates/ sits beside config/, as in the repository and a published folder.
        TemplatesDirectory = System.IO.Path.Combine(_dir.Path, "templates");
        Directory.CreateDirectory(TemplatesDirectory);
        foreach (var file in Directory.GetFiles(System.IO.Path.Combine(RepoRoot(), "templates")))
            System.IO.File.Copy(file, System.IO.Path.Combine(TemplatesDirectory, System.IO.Path.GetFileName(file)));
    }

    public string Root => _dir.Path;
    public string TemplatesDirectory { get; }
    public string ConfigDirectory { get; }
    public string DataDirectory { get; }
    public string DatabaseFile => System.IO.Path.Combine(DataDirectory, "collection.db");
    public string File(string name) => _dir.File(name);

    public Task<(int Exit, string Out, string Err)> RunAsync(params string[] args) => RunAsync(null, args);

    /// <summary>The command line on a given clock (a store created by it records that clock's time as its creation).</summary>
    public async Task<(int Exit, string Out, string Err)> RunAsync(TimeProvider? time, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var all = args.Concat(["--config", ConfigDirectory, "--data", DataDirectory]).ToArray();
        var exit = await Cli.RunAsync(all, stdout, stderr, time);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The app's services as a verb sees them (no hosted services), with the store prepared.</summary>
    public async Task<Microsoft.Extensions.Hosting.IHost> BuildAsync(TimeProvider? time = null)
    {
        var commandLine = CommandLine.Parse(["status", "--config", ConfigDirectory, "--data", DataDirectory]);
        var host = AppHost.Build(commandLine, ConfigDirectory, time);
        await AppHost.PrepareStoreAsync(host.Services);
        return host;
    }

    public void Dispose() => _dir.Dispose();

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "CollectionWorker.sln"))) return dir.FullName;
        throw new InvalidOperationException("CollectionWorker.sln not found above the test assembly");
    }
}
