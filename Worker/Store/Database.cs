using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Store;

/// <summary>
/// Opens connections to the SQLite store with the house settings: WAL journal (set once by the
/// migrator, it persists in the file), synchronous=NORMAL (safe with WAL: a power cut may lose the
/// last commits but never corrupts), foreign keys on, and a busy timeout for concurrent stages.
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;

    public Database(DataPaths paths) : this(paths.DatabaseFile) { }

    public Database(string file)
    {
        File = file;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        UtcTimestamp.RegisterDapperHandlers();
    }

    public string File { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;");
        return connection;
    }
}
