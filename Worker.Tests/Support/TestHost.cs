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
    }

    public string Root => _dir.Path;
    public string ConfigDirectory { get; }
    public string DataDirectory { get; }
    public string DatabaseFile => System.IO.Path.Combine(DataDirectory, "collection.db");
    public string File(string name) => _dir.File(name);

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var all = args.Concat(["--config", ConfigDirectory, "--data", DataDirectory]).ToArray();
        var exit = await Cli.RunAsync(all, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => _dir.Dispose();
}
