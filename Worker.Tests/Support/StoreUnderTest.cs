namespace CollectionWorker.Tests.Support;

/// <summary>
/// Which store the suite's hosts use. Worker.Tests runs on SQLite (the default); Worker.Tests.Postgres compiles the
/// store-touching folders of Worker.Tests again with POSTGRES_SUITE defined, and then every <see cref="TestHost"/>
/// gets <c>Storage:Provider = PostgreSql</c> on a new database of one throw-away server shared by the assembly
/// (<see cref="SharedPostgres"/>). A test that is SQLite's by nature (the file itself, its backup, WAL) is a
/// <see cref="SqliteOnlyFactAttribute"/>: skipped in the PostgreSQL run, saying why.
/// </summary>
public static class StoreUnderTest
{
#if POSTGRES_SUITE
    public const bool IsPostgres = true;
#else
    public const bool IsPostgres = false;
#endif
}

/// <summary>A test of something only the SQLite store has (its file, its backup, its journal): skipped in the PostgreSQL run.</summary>
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute(string why)
    {
        if (StoreUnderTest.IsPostgres) Skip = "SQLite only: " + why;
    }
}

/// <summary>
/// The PostgreSQL run's one throw-away server (started at the first host that needs it, stopped when the test
/// process exits). Collections that want their own lifetime keep using <see cref="PostgresCollection"/>.
/// </summary>
public static class SharedPostgres
{
    private static readonly Lazy<PostgresServer> Instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static PostgresServer Server => Instance.Value;

    private static PostgresServer Start()
    {
        var server = new PostgresServer();
        // Off the caller's synchronization context: xunit's has as many threads as cores, all of which may be waiting here.
        Task.Run(server.InitializeAsync).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Task.Run(server.DisposeAsync).GetAwaiter().GetResult();
        return server;
    }
}
