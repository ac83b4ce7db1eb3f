using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Store;

/// <summary>What a purge deleted, folder by folder, and how many ID numbers it removed from the store.</summary>
public sealed record PurgeResult(IReadOnlyList<(string Folder, int Files)> Deleted, long IdNumbers, long FileNames, IReadOnlyList<string> LeftAlone);

/// <summary>Why a purge was refused; each reason says what to do first (or --force).</summary>
public sealed class PurgeRefusedException(IReadOnlyList<string> reasons) : Exception(string.Join(" ", reasons))
{
    public IReadOnlyList<string> Reasons { get; } = reasons;
}

/// <summary>
/// Personal data is kept only as long as the campaign needs it (PIPL): once the upload window is closed,
/// no deadline is pending and every approved photo is exported, this deletes every photo and every
/// file carrying names or ID numbers from the data directory (originals, evidence, files set aside,
/// exports, review sheets, rosters, e-mails), and replaces the ID numbers and uploaded file names in
/// the store. Names, student numbers, classes and statuses stay, so the campaign's counts remain.
/// The store is changed first, in one transaction; files after, so running it again finishes an
/// interrupted purge.
/// </summary>
public sealed class PersonalDataPurge(Database database, DataPaths paths, TimeProvider time)
{
    public async Task<PurgeResult> PurgeAsync(DateTimeOffset uploadEnd, bool force, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var reasons = new List<string>();
        var now = time.GetUtcNow();
        if (now < uploadEnd)
            reasons.Add($"上传窗口尚未关闭（{uploadEnd:yyyy-MM-dd HH:mm zzz}）。 The upload window is still open until {uploadEnd:yyyy-MM-dd HH:mm zzz}.");
        var pending = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM deadlines WHERE state = 'pending'");
        if (pending > 0)
            reasons.Add($"还有 {pending} 个期限未到（审核或重新上传）。 {pending} deadline(s) (review or resubmission) are still pending.");
        var exported = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM exported_photos");
        var notExported = await connection.ExecuteScalarAsync<long>(
            $"""
            SELECT count(*) FROM submissions s JOIN students st ON st.id = s.student_id
            WHERE st.eligible = 1 AND s.state = 'approved'
              AND s.id = {SubmissionLedger.CurrentIdOf("s.student_id")}
              AND NOT EXISTS (SELECT 1 FROM exported_photos e WHERE e.submission_id = s.id)
            """);
        if (exported == 0)
            reasons.Add("还没有导出过任何照片：请先运行 export-approved 并确认学信网已接收。 Nothing has been exported yet: run export-approved and make sure 学信网 accepted it first.");
        else if (notExported > 0)
            reasons.Add($"还有 {notExported} 张已通过的照片没有导出：请先运行 export-approved。 {notExported} approved photo(s) are not exported yet: run export-approved first.");
        if (reasons.Count > 0 && !force) throw new PurgeRefusedException(reasons);

        long ids, names;
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            // The id's last six digits, zero-padded (substr with a negative start means different things in SQLite and PostgreSQL).
            ids = await connection.ExecuteAsync(
                "UPDATE students SET national_id = 'purged-' || substr('000000' || id, length('000000' || id) - 5, 6) WHERE national_id NOT LIKE 'purged-%'",
                transaction: tx);
            names = await SubmissionLedger.PurgeFileNamesAsync(connection, tx);
            // The students' own addresses and phones (roster columns 学生邮箱, 手机号) go too, also as the outbox's recipients.
            await connection.ExecuteAsync("UPDATE students SET student_email = NULL, phone = NULL WHERE student_email IS NOT NULL OR phone IS NOT NULL", transaction: tx);
            await connection.ExecuteAsync("UPDATE outbox SET recipient = '(purged)' WHERE template LIKE 'student-%'", transaction: tx);
            if (connection is SqliteConnection sqlite) await ScrubIdNumbersAsync(sqlite, tx);
            else await ScrubIdNumbersOnPostgresAsync(connection, tx);
            await AuditLog.WriteAsync(connection, tx, now, $"cli:{Environment.UserName}", "personal data purged", "campaign",
                new { id_numbers = ids, file_names = names, forced = reasons.Count > 0 });
            await tx.CommitAsync(ct);
        }
        // The replaced values must not linger in free pages of the file or in the WAL; on PostgreSQL, in dead row versions
        // (VACUUM FULL writes every table anew; the server's own WAL archive and backups are the DBA's to expire).
        await connection.ExecuteAsync(connection is SqliteConnection ? "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" : "VACUUM FULL");

        var deleted = new List<(string, int)>();
        foreach (var folder in new[] { paths.Inbox, paths.Archive, paths.Evidence, paths.Unmatched, paths.Refused, paths.Export,
                     Path.Combine(paths.Root, "review"), paths.RosterProcessed, paths.RosterFailed, paths.Mail,
                     paths.PaymentsProcessed, paths.PaymentsFailed })
            deleted.Add((Path.GetRelativePath(paths.Root, folder), DeleteFiles(folder)));

        var root = Path.GetFullPath(paths.Root) + Path.DirectorySeparatorChar;
        var elsewhere = (await connection.QueryAsync<string>("SELECT DISTINCT export_dir FROM exported_photos")).Select(Path.GetFullPath)
            .Where(d => !(d + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal) && Directory.Exists(d)).ToList();
        return new PurgeResult(deleted, ids, names, elsewhere);
    }

    // An 18-character national ID number (17 digits and a digit or X) wherever it appears in text.
    private static readonly System.Text.RegularExpressions.Regex IdNumber = new(@"(?<!\d)\d{17}[\dXx](?!\d)");

    /// <summary>
    /// ID numbers also travel inside other text: exported file names ({身份证号}.jpg), e-mail data,
    /// audit details. Every text column of every table is rewritten where it holds one.
    /// </summary>
    private static async Task ScrubIdNumbersAsync(SqliteConnection connection, DbTransaction tx)
    {
        connection.CreateFunction("scrub_ids", (string? text) => text is null ? null : IdNumber.Replace(text, "[ID purged]"));
        var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", transaction: tx);
        foreach (var table in tables)
        {
            var columns = await connection.QueryAsync<(long Cid, string Name, string Type)>($"SELECT cid, name, type FROM pragma_table_info('{table}')", transaction: tx);
            foreach (var column in columns.Where(c => c.Type.Equals("TEXT", StringComparison.OrdinalIgnoreCase) && !(table == "students" && c.Name is "national_id" or "student_number")))
                await connection.ExecuteAsync(
                    $"UPDATE \"{table}\" SET \"{column.Name}\" = scrub_ids(\"{column.Name}\") WHERE \"{column.Name}\" GLOB '*[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'",
                    transaction: tx);
        }
    }

    /// <summary>As <see cref="ScrubIdNumbersAsync"/>, on PostgreSQL: the same pattern as a regular expression the server applies (the store's tables only, not Quartz's).</summary>
    private static async Task ScrubIdNumbersOnPostgresAsync(DbConnection connection, DbTransaction tx)
    {
        var columns = await connection.QueryAsync<(string Table, string Column)>(
            """
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.table_schema = current_schema() AND c.data_type = 'text' AND c.table_name NOT LIKE 'qrtz%'
              AND NOT (c.table_name = 'students' AND c.column_name IN ('national_id', 'student_number'))
            ORDER BY c.table_name, c.column_name
            """, transaction: tx);
        foreach (var (table, column) in columns)
            await connection.ExecuteAsync(
                $"UPDATE \"{table}\" SET \"{column}\" = regexp_replace(\"{column}\", @pattern, '[ID purged]', 'g') WHERE \"{column}\" ~ @pattern",
                new { pattern = IdNumber.ToString() }, transaction: tx);
    }

    private static int DeleteFiles(string folder)
    {
        if (!Directory.Exists(folder)) return 0;
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToList())
        {
            File.Delete(file);
            count++;
        }
        foreach (var dir in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).ToList())
            if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);
        return count;
    }
}
