namespace CollectionWorker.Store;

/// <summary>Which database holds the store (config <c>Storage:Provider</c>).</summary>
public enum StoreProvider
{
    /// <summary>An embedded SQLite file in the data directory: one node (the data directory's lock file says so).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database that several nodes share; the database decides who takes which file or row.</summary>
    PostgreSql,
}
