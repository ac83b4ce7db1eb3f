using System.Security.Cryptography;
using System.Text;
using CollectionWorker.Tests.Export;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Tests.Store;

public class BackupAndPurgeTests
{
    private static async Task CampaignAsync(TestHost host)
    {
        var roster = RosterBuilder.Write(host.File("roster.xlsx"), Enumerable.Range(1, 3)
            .Select(i => TestStudent.Make(i) with { StudentEmail = $"own{i}@stu.example.edu.cn", Phone = $"1380013800{i}" }));
        Assert.Equal(0, (await host.RunAsync("import-roster", roster)).Exit);
        await ExportTests.SubmitAsync(host, 1, "approved");
        await ExportTests.SubmitAsync(host, 2, "approved");
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Backup_copies_the_store_and_archive_while_the_service_runs_and_the_copy_restores()
    {
        using var host = new TestHost("""{ "Logging": { "LogLevel": { "Default": "Warning", "Microsoft.Hosting.Lifetime": "Information" } } }""");
        await CampaignAsync(host);
        var backups = host.File("backups");

        using (var worker = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory))
        {
            await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
            var inside = await host.RunAsync("backup", Path.Combine(host.DataDirectory, "backups"));
            Assert.Equal(1, inside.Exit);
            Assert.Contains("is inside the data directory", inside.Err);

            var result = await host.RunAsync("backup", backups);
            Assert.True(result.Exit == 0, result.Err);
            Assert.Contains("3 students, 2 uploads, checked", result.Err);
            Assert.Contains("2 photo(s) from archive/ (2 referenced by the store, each re-hashed)", result.Err);
            worker.Terminate();
            Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        // Restore as docs/operations.md (SQLite) and docs/postgresql.md say: the store and the archive back into place.
        var folder = Assert.Single(Directory.GetDirectories(backups));
        Assert.True(File.Exists(Path.Combine(folder, "config", "appsettings.json")));
        var archived = Directory.GetFiles(Path.Combine(host.DataDirectory, "archive"), "*.jpg", SearchOption.AllDirectories);
        var hashes = archived.Select(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))).Order().ToList();
        Directory.Delete(Path.Combine(host.DataDirectory, "archive"), recursive: true);
        if (host.PostgresConnectionString is null)
        {
            foreach (var f in Directory.GetFiles(host.DataDirectory, "collection.db*")) File.Delete(f);
            File.Copy(Path.Combine(folder, "collection.db"), host.DatabaseFile);
        }
        else
            await RestoreDumpIntoNewDatabaseAsync(host, Path.Combine(folder, "collection.dump"));
        CopyTree(Path.Combine(folder, "archive"), Path.Combine(host.DataDirectory, "archive"));

        var status = await host.RunAsync("status", "--json");
        Assert.True(status.Exit == 0, status.Err);
        Assert.Contains("\"approved\": 2", status.Out);
        var restored = Directory.GetFiles(Path.Combine(host.DataDirectory, "archive"), "*.jpg", SearchOption.AllDirectories)
            .Select(f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))).Order().ToList();
        Assert.Equal(hashes, restored);
    }

    [Fact]
    public async Task Purge_is_refused_before_the_export_then_deletes_photos_and_id_numbers_and_says_what()
    {
        using var host = new TestHost(); // the shipped 2022 dates: the window is closed
        await CampaignAsync(host);
        var id = TestStudent.Make(1).NationalId;

        var early = await host.RunAsync("purge");
        Assert.Equal(1, early.Exit);
        Assert.Contains("Nothing has been exported yet", early.Err);
        Assert.Contains("Nothing was deleted", early.Err);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(host.DataDirectory, "archive"), "*.jpg", SearchOption.AllDirectories).Length);

        Assert.Equal(0, (await host.RunAsync("export-approved")).Exit);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(host.DataDirectory, "export"), $"{id}.jpg", SearchOption.AllDirectories));

        var purge = await host.RunAsync("purge");
        Assert.True(purge.Exit == 0, purge.Err);
        Assert.Contains("3 ID number(s) replaced in the store", purge.Out);
        Assert.Contains("archive/: 2 file(s) deleted", purge.Out);
        Assert.Empty(Directory.GetFiles(Path.Combine(host.DataDirectory, "archive"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(host.DataDirectory, "export"), "*", SearchOption.AllDirectories));
        SqliteConnection.ClearAllPools();
        await using (var c = await host.OpenStoreAsync())
        {
            Assert.Equal(3, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM students WHERE national_id LIKE 'purged-%'"));
            Assert.Equal(["purged-000001", "purged-000002", "purged-000003"], await c.QueryAsync<string>("SELECT national_id FROM students ORDER BY id"));
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM students WHERE student_email IS NOT NULL OR phone IS NOT NULL"));
            // The ID numbers inside other text (the export's file names in the audit log) are scrubbed too.
            Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM audit_log WHERE detail LIKE @id", new { id = $"%{id}%" }));
        }
        // Not lingering in free pages or the journal either; nor the students' own addresses and phones.
        foreach (var f in Directory.GetFiles(host.DataDirectory, "collection.db*"))
        {
            var text = Encoding.ASCII.GetString(File.ReadAllBytes(f));
            Assert.DoesNotContain(id, text);
            Assert.DoesNotContain("own1@stu.example.edu.cn", text);
            Assert.DoesNotContain("13800138001", text);
        }

        var status = await host.RunAsync("status", "--json");
        Assert.True(status.Exit == 0, status.Err);
        Assert.Contains("\"approved\": 2", status.Out);
    }

    [Fact]
    public async Task Purge_waits_for_the_window_to_close_unless_forced_and_never_runs_beside_the_service()
    {
        var now = DateTimeOffset.UtcNow;
        using var host = new TestHost($$"""
            { "Logging": { "LogLevel": { "Default": "Warning", "Microsoft.Hosting.Lifetime": "Information" } },
              "Campaign": { "UploadStart": "{{now.AddDays(-1):O}}", "UploadEnd": "{{now.AddDays(3):O}}" } }
            """);
        await CampaignAsync(host);
        Assert.Equal(0, (await host.RunAsync("export-approved")).Exit);

        var open = await host.RunAsync("purge");
        Assert.Equal(1, open.Exit);
        Assert.Contains("The upload window is still open", open.Err);

        using (var worker = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory))
        {
            await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));
            var beside = await host.RunAsync("purge", "--force");
            Assert.Equal(1, beside.Exit);
            Assert.Contains(host.PostgresConnectionString is null ? $"in use by another running service (PID {worker.Id}" : $"is in use by running node(s) ({Environment.MachineName}:{worker.Id}", beside.Err);
            worker.Terminate();
            Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }

        var forced = await host.RunAsync("purge", "--force");
        Assert.True(forced.Exit == 0, forced.Err);
        Assert.Contains("archive/: 2 file(s) deleted", forced.Out);
    }

    /// <summary>pg_restore of the backup's dump into an empty database, and the host's settings pointed at it (the old one is left as it was).</summary>
    private static async Task RestoreDumpIntoNewDatabaseAsync(TestHost host, string dump)
    {
        var server = SharedPostgres.Server;
        var restored = await server.CreateDatabaseAsync();
        var b = new Npgsql.NpgsqlConnectionStringBuilder(restored);
        // PostgresPrograms runs it with a time limit and fails with its output on a non-zero exit.
        await PostgresPrograms.RunAsync(server.Program("pg_restore"),
            ["--no-owner", $"--host={b.Host}", $"--port={b.Port}", $"--username={b.Username}", $"--dbname={b.Database}", dump]);
        var settings = Path.Combine(host.ConfigDirectory, "appsettings.json");
        File.WriteAllText(settings, File.ReadAllText(settings).Replace(host.PostgresConnectionString!, restored));
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
