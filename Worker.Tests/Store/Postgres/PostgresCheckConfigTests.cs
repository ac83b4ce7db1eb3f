using System.Text.Json;
using CollectionWorker.Tests.Support;
using Npgsql;

namespace CollectionWorker.Tests.Store.Postgres;

/// <summary>check-config with Storage:Provider = PostgreSql: the connection and the schema version, through the real command line.</summary>
[Collection(PostgresCollection.Name)]
public class PostgresCheckConfigTests(PostgresServer server)
{
    private static string Settings(string connection) =>
        JsonSerializer.Serialize(new { Storage = new { Provider = "PostgreSql", ConnectionString = connection } });

    [Fact]
    public async Task A_reachable_database_passes_and_an_empty_one_is_said_to_be_migrated_at_the_next_start()
    {
        var connection = await server.CreateDatabaseAsync();
        using var host = new TestHost(Settings(connection));
        var (exit, output, error) = await host.RunAsync("check-config");
        Assert.True(exit == 0, error);
        Assert.Contains("Configuration OK", output);
        Assert.Contains("schema version 0; the next start brings it to", error);

        // After a verb has opened (and so migrated) the store, nothing is left to say about it.
        Directory.CreateDirectory(host.DataDirectory);
        var (created, _, createError) = await host.RunAsync("status");
        Assert.True(created == 0, createError);
        var (again, _, quiet) = await host.RunAsync("check-config");
        Assert.Equal(0, again);
        Assert.DoesNotContain("schema version", quiet);
    }

    [Fact]
    public async Task An_unreachable_server_and_a_missing_connection_string_are_rejected_naming_the_key()
    {
        var unreachable = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = 1, Database = "collection", Username = "cw", Timeout = 3 }.ToString();
        using (var host = new TestHost(Settings(unreachable)))
        {
            var (exit, _, error) = await host.RunAsync("check-config");
            Assert.NotEqual(0, exit);
            Assert.Contains("PostgreSQL database collection on 127.0.0.1:1", error);
            Assert.Contains("Storage:ConnectionString", error);
        }
        using (var host = new TestHost(Settings("")))
        {
            var (exit, _, error) = await host.RunAsync("check-config");
            Assert.NotEqual(0, exit);
            Assert.Contains("Storage:ConnectionString is empty but Storage:Provider = PostgreSql", error);
        }
    }
}
