using System.ComponentModel;
using System.Diagnostics;
using Dapper;
using Npgsql;

namespace CollectionWorker.Store;

/// <summary>
/// The backup of a PostgreSQL store: PostgreSQL's own <c>pg_dump</c> (custom format, restored with
/// <c>pg_restore</c>) of exactly the snapshot whose rows were counted and whose photos are then checked.
/// The snapshot is exported by a repeatable-read transaction that stays open while pg_dump runs
/// (<c>pg_export_snapshot</c>, <c>pg_dump --snapshot</c>), so the dump, the counts and the list of photos
/// are one consistent moment however many nodes go on writing. pg_dump is looked for on PATH, then
/// under /usr/lib/postgresql/*/bin (Debian's postgresql-client); its major version must be at least the server's.
/// The password, if any, goes to pg_dump by its environment (PGPASSWORD), never on its command line.
/// </summary>
internal static class PostgresDump
{
    public const string FileName = "collection.dump";

    public static async Task<(string File, long Students, long Submissions, List<string> Hashes)> WriteAsync(Database database, string folder, CancellationToken ct)
    {
        var pgDump = Find() ?? throw new StoreBackupException(
            "找不到 pg_dump：请安装 PostgreSQL 客户端（Debian/Ubuntu：apt-get install postgresql-client），或把 pg_dump 所在目录加入 PATH。 " +
            "pg_dump was not found on PATH or under /usr/lib/postgresql/*/bin: install PostgreSQL's client tools (Debian/Ubuntu: apt-get install postgresql-client) " +
            "or put pg_dump's folder on PATH, then run backup again. Or back up by hand as docs/postgresql.md says (pg_dump -Fc, and a copy of archive/).");
        var file = Path.Combine(folder, FileName);
        await using var connection = await database.OpenPostgresAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var snapshot = await connection.ExecuteScalarAsync<string>("SELECT pg_export_snapshot()", transaction: tx);
        var students = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM students", transaction: tx);
        var submissions = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions", transaction: tx);
        var hashes = (await connection.QueryAsync<string>("SELECT DISTINCT sha256 FROM submissions", transaction: tx)).ToList();

        var b = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var info = new ProcessStartInfo(pgDump) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--format=custom", "--no-owner", $"--snapshot={snapshot}", $"--file={file}",
                     $"--host={b.Host}", $"--port={b.Port}", $"--username={b.Username}", $"--dbname={b.Database}", "--no-password" })
            info.ArgumentList.Add(a);
        if (!string.IsNullOrEmpty(b.Password)) info.Environment["PGPASSWORD"] = b.Password;
        if (b.SslMode is not SslMode.Disable and not SslMode.Prefer) info.Environment["PGSSLMODE"] = b.SslMode.ToString().ToLowerInvariant().Replace("verifyca", "verify-ca").Replace("verifyfull", "verify-full");
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception e)
        {
            throw new StoreBackupException($"pg_dump ({pgDump}) could not be started: {e.Message}");
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
                throw new StoreBackupException(
                    $"pg_dump 失败（退出码 {process.ExitCode}）。 pg_dump ({pgDump}) failed with exit code {process.ExitCode}: {(await stderr).Trim()} " +
                    "(a pg_dump older than the server refuses to run: install the server's version of postgresql-client).");
        }
        await tx.CommitAsync(ct);
        return (file, students, submissions, hashes);
    }

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "pg_dump.exe" : "pg_dump");
            if (File.Exists(candidate)) return candidate;
        }
        if (!Directory.Exists("/usr/lib/postgresql")) return null;
        return Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => (Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0, File: Path.Combine(d, "bin", "pg_dump")))
            .Where(x => File.Exists(x.File)).OrderByDescending(x => x.Version).Select(x => x.File).FirstOrDefault();
    }
}

/// <summary>A backup that could not be written; the message says why and what to do.</summary>
public sealed class StoreBackupException(string message) : Exception(message);
