using System.Data.Common;
using System.Text.Json.Nodes;
using CollectionWorker.Host;
using CollectionWorker.Store;

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
        System.IO.File.WriteAllText(System.IO.Path.Combine(ConfigDirectory, "appsettings.json"), OnStoreUnderTest(appsettingsJson ?? "{}"));
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

    /// <summary>The test's PostgreSQL database (the PostgreSQL run, or settings that name one), else null: the store is <see cref="DatabaseFile"/>.</summary>
    public string? PostgresConnectionString { get; private set; }

    private Database? _store;

    /// <summary>The store this host's commands use, whichever the provider: for tests that look into it or write to it directly.</summary>
    public Database Store => _store ??= PostgresConnectionString is { } pg ? Database.OnPostgres(pg) : new Database(DatabaseFile);

    /// <summary>A connection to the store (SQLite's file or the test's PostgreSQL database), taking the same SQL on both.</summary>
    public Task<DbConnection> OpenStoreAsync() => Store.OpenAsync();

    /// <summary>Replaces the settings file (a test changing the configuration between runs), keeping the host's store.</summary>
    public void WriteSettings(string json) =>
        System.IO.File.WriteAllText(System.IO.Path.Combine(ConfigDirectory, "appsettings.json"), OnStoreUnderTest(json));

    // The PostgreSQL run: a database of the shared server for this host, unless the settings already choose a store.
    private string OnStoreUnderTest(string json)
    {
        JsonObject settings;
        try
        {
            settings = JsonNode.Parse(json, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        }
        catch (System.Text.Json.JsonException)
        {
            return json; // a test of what bad settings do: written as given (no store is opened on them)
        }
        if (settings["Storage"]?["Provider"] is { } chosen)
        {
            if (string.Equals(chosen.GetValue<string>(), "PostgreSql", StringComparison.OrdinalIgnoreCase))
                PostgresConnectionString = settings["Storage"]?["ConnectionString"]?.GetValue<string>();
            return json;
        }
        if (!StoreUnderTest.IsPostgres) return json;
        if (!_ownsDatabase) PostgresConnectionString = SharedPostgres.Server.CreateDatabase();
        _ownsDatabase = true;
        var storage = settings["Storage"] as JsonObject ?? new JsonObject();
        storage["Provider"] = "PostgreSql";
        storage["ConnectionString"] = PostgresConnectionString;
        settings["Storage"] = storage;
        return settings.ToJsonString();
    }

    private bool _ownsDatabase;
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

    public void Dispose()
    {
        _store?.Dispose();
        if (_ownsDatabase && PostgresConnectionString is { } pg) SharedPostgres.Server.DropDatabase(pg);
        _dir.Dispose();
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "CollectionWorker.sln"))) return dir.FullName;
        throw new InvalidOperationException("CollectionWorker.sln not found above the test assembly");
    }
}
