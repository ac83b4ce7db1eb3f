using Npgsql;

namespace CollectionWorker.Store;

/// <summary>Reads a PostgreSQL connection string for validation and for messages (never showing the password).</summary>
public static class PostgresConnectionString
{
    /// <summary>Why the text is not a connection string Npgsql accepts, or null.</summary>
    public static string? Problem(string text)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrWhiteSpace(b.Host)) return "it names no Host (e.g. Host=db.example.edu.cn, or a Unix socket folder)";
            if (string.IsNullOrWhiteSpace(b.Database)) return "it names no Database";
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>"PostgreSQL database collection on db:5432 as collection", for messages and logs.</summary>
    public static string Describe(string text)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(text);
            return $"PostgreSQL database {b.Database} on {b.Host}:{b.Port} as {b.Username}";
        }
        catch (ArgumentException)
        {
            return "PostgreSQL (unreadable connection string)";
        }
    }
}
