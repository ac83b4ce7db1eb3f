using CollectionWorker.Store;
using Dapper;
using Quartz;

namespace CollectionWorker.Deadlines;

/// <summary>
/// Quartz's own tables on the store's PostgreSQL database, created from the script Quartz ships for its
/// AdoJobStore (every statement "create if missing"), under an advisory lock so that nodes starting
/// together create them once instead of racing each other's CREATE TABLE. Quartz then validates them
/// at start as usual. Sent as written: Quartz's SQL is PostgreSQL already and never goes through the
/// store's SQLite-dialect rewriter.
/// </summary>
public static class QuartzPostgresSchema
{
    public const string TablePrefix = "qrtz_";
    private const string ScriptResource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";
    private const long ProvisionLock = 0x436f6c6c_65637451; // "CollectQ"

    public static void Ensure(Database database)
    {
        // Synchronous all the way: Quartz calls this synchronously, possibly on a thread of a busy synchronization context.
        using var connection = database.OpenPostgres();
        connection.Execute("SELECT pg_advisory_lock(@ProvisionLock)", new { ProvisionLock });
        try
        {
            foreach (var statement in Statements())
                connection.Execute(statement);
        }
        finally
        {
            connection.Execute("SELECT pg_advisory_unlock(@ProvisionLock)", new { ProvisionLock });
        }
    }

    /// <summary>The script's statements (separated by a line '--;;'), with the table prefix filled in.</summary>
    public static IEnumerable<string> Statements()
    {
        using var stream = typeof(IScheduler).Assembly.GetManifestResourceStream(ScriptResource)
                           ?? throw new InvalidOperationException($"Quartz no longer ships {ScriptResource}; create its tables from database/tables/tables_postgres.sql by hand.");
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix).Replace("{1}", TablePrefix);
        return script.Split(["\r\n--;;\r\n", "\n--;;\n", "\r\n--;;", "\n--;;"], StringSplitOptions.None)
            .Where(s => s.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--")))
            .ToList();
    }
}
