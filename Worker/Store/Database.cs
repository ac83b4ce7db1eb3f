using System.Data.Common;
using CollectionWorker.Store.Postgres;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CollectionWorker.Store;

/// <summary>
/// Opens connections to the store. SQLite (the default) with the house settings: WAL journal (set once
/// by the migrator, it persists in the file), synchronous=NORMAL (safe with WAL: a power cut may lose the
/// last commits but never corrupts), foreign keys on, and a busy timeout for concurrent stages.
/// PostgreSQL (Storage:Provider = PostgreSql) through <see cref="PostgresStoreConnection"/>, which takes
/// the same SQL and gives the same result types, so every stage's data access runs on both.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;

    public Database(DataPaths paths) : this(paths.DatabaseFile) { }

    public Database(DataPaths paths, IOptions<StorageOptions> options)
        : this(options.Value.Provider == StoreProvider.PostgreSql ? null : paths.DatabaseFile,
            options.Value.Provider == StoreProvider.PostgreSql ? options.Value.ConnectionString : null)
    {
        ClaimTimeout = options.Value.ClaimTimeout;
        NodeName = options.Value.NodeName is { Length: > 0 } name ? name : DefaultNodeName();
    }

    public Database(string file) : this(file, null) { }

    private Database(string? file, string? postgresConnectionString)
    {
        UtcTimestamp.RegisterDapperHandlers();
        if (postgresConnectionString is not null)
        {
            Provider = StoreProvider.PostgreSql;
            _connectionString = postgresConnectionString;
            File = PostgresConnectionString.Describe(postgresConnectionString);
            _postgres = new NpgsqlDataSourceBuilder(postgresConnectionString).Build();
            return;
        }
        File = file!;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>A store on PostgreSQL (tests and tools; the service gets its store from Storage options).</summary>
    public static Database OnPostgres(string connectionString, TimeSpan? claimTimeout = null, string? nodeName = null) =>
        new(null, connectionString) { ClaimTimeout = claimTimeout ?? TimeSpan.FromMinutes(2), NodeName = nodeName ?? DefaultNodeName() };

    /// <summary>A SQLite store with a given node name and claim time (tests of what claims do on either store).</summary>
    public static Database OnSqlite(string file, TimeSpan? claimTimeout = null, string? nodeName = null) =>
        new(file, null) { ClaimTimeout = claimTimeout ?? TimeSpan.FromMinutes(2), NodeName = nodeName ?? DefaultNodeName() };

    public StoreProvider Provider { get; } = StoreProvider.Sqlite;

    /// <summary>Several nodes may share this store (PostgreSQL): work is claimed in the database before it is done.</summary>
    public bool IsShared => Provider == StoreProvider.PostgreSql;

    /// <summary>How long a claim on a file or row lasts before another node may take the work over.</summary>
    public TimeSpan ClaimTimeout { get; private init; } = TimeSpan.FromMinutes(2);

    /// <summary>This node's name in claims.</summary>
    public string NodeName { get; private init; } = DefaultNodeName();

    /// <summary>The SQLite file, or a description of the PostgreSQL database (never its password), for messages.</summary>
    public string File { get; }

    /// <summary>The connection string (PostgreSQL: for Quartz's job store on the same database).</summary>
    public string ConnectionString => _connectionString;

    private static string DefaultNodeName() => $"{Environment.MachineName}:{Environment.ProcessId}";

    // The file this store was opened on; once pinned, every connection first checks it is still that file.
    private FileIdentity? _pinned;

    /// <summary>Remembers which file the store is (device and inode); from now on a deleted or replaced file is refused.</summary>
    public void PinIdentity()
    {
        if (Provider == StoreProvider.Sqlite) _pinned = FileIdentity.Of(File);
    }

    /// <summary>Null while the store's file is the one pinned at start (or nothing was pinned); else what happened to it.</summary>
    public string? IdentityProblem()
    {
        if (_pinned is not { } pinned) return null;
        var now = FileIdentity.Of(File);
        if (now == pinned) return null;
        return now.Exists
            ? $"存储文件 {File} 在服务运行时被另一个文件替换（原 {pinned}，现 {now}）。 The store {File} was replaced by another file while the service ran (was {pinned}, now {now})."
            : $"存储文件 {File} 在服务运行时被删除。 The store {File} was deleted while the service ran.";
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
            return new PostgresStoreConnection(await _postgres.OpenConnectionAsync(ct));
        // A pooled connection would go on writing into a deleted file that nobody reads again: refuse instead.
        if (IdentityProblem() is { } problem) throw new StoreUnusableException(problem + " " + StoreMessages.StopAndRestore);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;");
        return connection;
    }

    /// <summary>Closes the PostgreSQL connection pool (the host disposes the store when it stops).</summary>
    public void Dispose() => _postgres?.Dispose();

    /// <summary>A plain PostgreSQL connection, its SQL sent as written (the migrator's compatibility functions, advisory locks).</summary>
    internal async Task<NpgsqlConnection> OpenPostgresAsync(CancellationToken ct = default) =>
        _postgres is null ? throw new InvalidOperationException("The store is not on PostgreSQL.") : await _postgres.OpenConnectionAsync(ct);

    /// <summary>
    /// As <see cref="OpenPostgresAsync"/>, for the few callers that must answer synchronously (Quartz asks for its data
    /// source so). Blocking on the asynchronous open instead would wait for work posted back to the caller's
    /// synchronization context, which never runs when that context's threads are all busy: a deadlock.
    /// </summary>
    internal NpgsqlConnection OpenPostgres() =>
        _postgres is null ? throw new InvalidOperationException("The store is not on PostgreSQL.") : _postgres.OpenConnection();
}
