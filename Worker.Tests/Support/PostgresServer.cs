using System.Diagnostics;
using CollectionWorker.Store;
using Npgsql;

namespace CollectionWorker.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL cluster for the tests: <c>initdb</c> in a temp folder, <c>pg_ctl start</c> on a
/// free 127.0.0.1 port (its socket in the same folder), stopped and deleted when the collection ends.
/// The binaries come from Debian's <c>postgresql</c> package (.ci/run installs it) under
/// /usr/lib/postgresql/&lt;version&gt;/bin, or from PG_BIN. PostgreSQL refuses to run as root, so under
/// root (CI containers) the cluster runs as the <c>postgres</c> user the package creates.
/// Each test asks for its own database (<see cref="CreateDatabaseAsync"/>).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    // Straight under the temp folder, not in a shared parent: run as root, the server runs as postgres and must be able
    // to reach its folder, which a parent left by an earlier run with a private umask (drwx------ root) would forbid.
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cw-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private string DataDir => Path.Combine(_root, "data");
    private string? _runAs;
    private string _bin = "";

    public int Port { get; private set; }

    /// <summary>The superuser's connection string to a database of that name.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Pooling = true, MaxPoolSize = 20,
            // Every test has its own database and so its own pools: idle connections close within seconds, not minutes.
            ConnectionIdleLifetime = 2, ConnectionPruningInterval = 1,
        }.ToString();

    public async Task InitializeAsync()
    {
        _bin = PostgresPrograms.FindBinaries();
        Directory.CreateDirectory(_root);
        if (Environment.UserName == "root" || GetEuid() == 0)
        {
            _runAs = "postgres";
            await RunAsync("chown", ["-R", "postgres:postgres", _root]);
        }
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], asServer: true);
        Port = TestSmtpServer.FreePort(); // any free 127.0.0.1 port
        var options = $"-c listen_addresses=127.0.0.1 -p {Port} -k {_root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500 -c shared_buffers=32MB";
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-l", Path.Combine(_root, "server.log"), "-o", options, "-w", "-t", "60", "start"], asServer: true);
    }

    /// <summary>A new, empty database for one test; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var c = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await c.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    /// <summary>As <see cref="CreateDatabaseAsync"/>, for a constructor (a test host's configuration is written in it).</summary>
    public string CreateDatabase() => Task.Run(CreateDatabaseAsync).GetAwaiter().GetResult();

    /// <summary>Drops a test's database (connections still open to it are ended), so a run of hundreds of tests does not fill the disk.</summary>
    public void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        using (var pooled = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(pooled);
        using var c = new NpgsqlConnection(ConnectionString("postgres"));
        c.Open();
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c);
        command.ExecuteNonQuery();
    }

    /// <summary>One of the server's programs (pg_restore, psql …), of the same version as the server.</summary>
    public string Program(string name) => Path.Combine(_bin, name);

    /// <summary>A store on a new database of this server.</summary>
    public async Task<Database> CreateStoreAsync(TimeSpan? claimTimeout = null, string? nodeName = null) =>
        Database.OnPostgres(await CreateDatabaseAsync(), claimTimeout, nodeName);

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-m", "immediate", "-w", "stop"], asServer: true);
        }
        finally
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEuid();

    private Task RunAsync(string file, string[] args, bool asServer = false) =>
        PostgresPrograms.RunAsync(file, args, asServer ? _runAs : null, timeout: TimeSpan.FromSeconds(120));
}

/// <summary>Test classes that need PostgreSQL share one server per test run (starting one takes seconds).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}