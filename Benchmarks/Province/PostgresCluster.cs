using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CollectionWorker.Tests.Support;
using Npgsql;

/// <summary>
/// A throw-away PostgreSQL cluster for the benchmark, made the way Worker.Tests/Support/PostgresServer.cs makes
/// the tests' one (that file is an xunit fixture of the test project, so it is not linked): <c>initdb</c> in a temp
/// folder, <c>pg_ctl start</c> on a free 127.0.0.1 port, as the <c>postgres</c> user when run as root, stopped and
/// deleted at the end. Unlike the tests' cluster it keeps <c>fsync</c> and full-page writes on; only
/// <c>synchronous_commit = off</c>, which is what the SQLite store's WAL mode with <c>synchronous = NORMAL</c> does
/// too (a commit does not wait for the disk), so both stores are measured on the same terms.
/// </summary>
sealed class PostgresCluster : IAsyncDisposable
{
    // Straight under the temp folder (as the tests' server): the server, run as postgres, must reach it whatever a shared parent's mode.
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cw-province-pg-" + Guid.NewGuid().ToString("N")[..8]);
    private string DataDir => Path.Combine(_root, "data");
    private string? _runAs;
    private string _bin = "";

    public int Port { get; private set; }

    /// <summary>The postmaster's process id (first line of postmaster.pid): the server's processor time is read from it and its children.</summary>
    public int ServerPid => int.Parse(File.ReadLines(Path.Combine(DataDir, "postmaster.pid")).First());

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ToString();

    public static async Task<PostgresCluster> StartAsync()
    {
        var cluster = new PostgresCluster();
        await cluster.InitAsync();
        return cluster;
    }

    private async Task InitAsync()
    {
        _bin = PostgresPrograms.FindBinaries();
        Directory.CreateDirectory(_root);
        if (Environment.UserName == "root")
        {
            _runAs = "postgres";
            await RunAsync("chown", ["-R", "postgres:postgres", _root]);
        }
        await RunAsync(Path.Combine(_bin, "initdb"), ["-D", DataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"], asServer: true);
        Port = FreePort();
        var options = $"-c listen_addresses=127.0.0.1 -p {Port} -k {_root} -c synchronous_commit=off -c max_connections=300 -c shared_buffers=256MB";
        await RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-l", Path.Combine(_root, "server.log"), "-o", options, "-w", "-t", "120", "start"], asServer: true);
        // Stopped also when the benchmark is interrupted (Ctrl+C, SIGTERM): no server is left running (its nodes are not waited for).
        _signals = [System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, _ => Stop()),
                    System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, _ => Stop())];
    }

    private int _stopped;
    private System.Runtime.InteropServices.PosixSignalRegistration[] _signals = [];

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        NpgsqlConnection.ClearAllPools();
        try
        {
            RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-m", "fast", "-w", "stop"], asServer: true).GetAwaiter().GetResult();
        }
        finally
        {
            try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString("postgres"));
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var p = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return p;
    }

    private Task RunAsync(string file, string[] args, bool asServer = false) =>
        PostgresPrograms.RunAsync(file, args, asServer ? _runAs : null);
}
