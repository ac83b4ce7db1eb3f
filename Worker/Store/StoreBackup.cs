using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Store;

/// <summary>What a backup wrote and checked.</summary>
public sealed record BackupResult(string Folder, string Database, long Students, long Submissions, int PhotosCopied, int PhotosVerified, string? Config);

/// <summary>
/// An online copy of what cannot be made again: the store, through SQLite's backup API (a consistent
/// snapshot while the service goes on writing) or, on PostgreSQL, pg_dump of one snapshot (<see cref="PostgresDump"/>), then the archive's original photos, then a check
/// that every photo the copied store refers to is in the copy with its SHA-256. The store is copied
/// first: the archive only grows, and a photo is archived before its row is committed, so every row
/// in the snapshot finds its file.
/// </summary>
public sealed class StoreBackup(Database database, DataPaths paths, TimeProvider time)
{
    public async Task<BackupResult> WriteAsync(string targetDirectory, string? configFile, CancellationToken ct)
    {
        var target = Path.GetFullPath(targetDirectory);
        var root = Path.GetFullPath(paths.Root) + Path.DirectorySeparatorChar;
        if ((target + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal))
            throw new ArgumentException($"备份目录 {target} 在数据目录之内，请选择数据目录以外的位置（最好在另一块磁盘上）。 " +
                                        $"The backup folder {target} is inside the data directory {paths.Root}: choose a folder outside it, preferably on another disk.");
        var folder = Path.Combine(target, $"collection-worker-backup-{time.GetUtcNow():yyyyMMdd-HHmmss}Z");
        if (Directory.Exists(folder)) throw new ArgumentException($"{folder} already exists; wait a second and run the backup again.");
        Directory.CreateDirectory(folder);

        string copy;
        long students, submissions;
        List<string> hashes;
        if (database.Provider == StoreProvider.PostgreSql)
            (copy, students, submissions, hashes) = await PostgresDump.WriteAsync(database, folder, ct);
        else
            (copy, students, submissions, hashes) = await CopySqliteAsync(folder, ct);

        var copied = 0;
        var archiveCopy = Path.Combine(folder, "archive");
        if (Directory.Exists(paths.Archive))
            foreach (var file in Directory.EnumerateFiles(paths.Archive, "*", SearchOption.AllDirectories))
            {
                ct.ThrowIfCancellationRequested();
                var to = Path.Combine(archiveCopy, Path.GetRelativePath(paths.Archive, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to);
                copied++;
            }

        var verified = 0;
        var missing = new List<string>();
        foreach (var sha in hashes)
        {
            ct.ThrowIfCancellationRequested();
            var file = Path.Combine(archiveCopy, sha[..2], sha + ".jpg");
            if (!File.Exists(file))
            {
                missing.Add(sha);
                continue;
            }
            await using var stream = File.OpenRead(file);
            if (!Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct)).Equals(sha, StringComparison.Ordinal)) missing.Add(sha);
            else verified++;
        }
        if (missing.Count > 0)
            throw new StoreUnusableException(
                $"备份不完整：{missing.Count} 张照片在 archive/ 中缺失或内容不符（例如 {missing[0]}）。 The backup in {folder} is incomplete: {missing.Count} photo(s) " +
                $"the store refers to are missing from archive/ or differ from their SHA-256 (e.g. {missing[0]}). Check the data directory's archive/ before relying on this backup.");

        string? config = null;
        if (configFile is not null && File.Exists(configFile))
        {
            config = Path.Combine(folder, "config", Path.GetFileName(configFile));
            Directory.CreateDirectory(Path.GetDirectoryName(config)!);
            File.Copy(configFile, config);
        }
        return new BackupResult(folder, copy, students, submissions, copied, verified, config);
    }

    /// <summary>The SQLite store through SQLite's backup API, then checked and counted in the copy.</summary>
    private async Task<(string, long, long, List<string>)> CopySqliteAsync(string folder, CancellationToken ct)
    {
        long students, submissions;
        List<string> hashes;
        var copy = Path.Combine(folder, Path.GetFileName(paths.DatabaseFile));
        await using (var source = await database.OpenAsync(ct))
        await using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
        {
            await destination.OpenAsync(ct);
            ((SqliteConnection)source).BackupDatabase(destination);
        }

        await using (var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await check.OpenAsync(ct);
            var verdict = string.Join("; ", await check.QueryAsync<string>("PRAGMA integrity_check"));
            if (verdict != "ok") throw new StoreUnusableException($"The backup copy {copy} failed its integrity check ({verdict}); the store itself may be damaged. {StoreMessages.StopAndRestore}");
            students = await check.ExecuteScalarAsync<long>("SELECT count(*) FROM students");
            submissions = await check.ExecuteScalarAsync<long>("SELECT count(*) FROM submissions");
            hashes = (await check.QueryAsync<string>("SELECT DISTINCT sha256 FROM submissions")).ToList();
        }
        return (copy, students, submissions, hashes);
    }
}
