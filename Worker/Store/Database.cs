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

    // The file this store was opened on; once pinned, every connection first checks it is still that file.
    private FileIdentity? _pinned;

    /// <summary>Remembers which file the store is (device and inode); from now on a deleted or replaced file is refused.</summary>
    public void PinIdentity() => _pinned = FileIdentity.Of(File);

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

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        // A pooled connection would go on writing into a deleted file that nobody reads again: refuse instead.
        if (IdentityProblem() is { } problem) throw new StoreUnusableException(problem + " " + StoreMessages.StopAndRestore);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;");
        return connection;
    }
}
