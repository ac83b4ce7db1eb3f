using System.Data.Common;
using CollectionWorker.Store;
using CollectionWorker.Store.Postgres;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CollectionWorker.Tests.Store;

/// <summary>
/// Migration 0012 rebuilds the submissions table (to drop UNIQUE(student_id, sha256)) under a store that
/// other tables point into: every row, id and reference must come through, and the keys stay enforced.
/// On PostgreSQL (<see cref="StudentContactsMigrationOnPostgresTests"/>) its own form drops the constraint in place.
/// </summary>
public class StudentContactsMigrationTests
{
    protected virtual Task<Database> NewStoreAsync(TempDirectory dir) => Task.FromResult(new Database(dir.File("collection.db")));

    /// <summary>What the migrator does before the scripts on this provider (PostgreSQL: SQLite's functions and views).</summary>
    protected virtual Task BeforeMigrationsAsync(DbConnection c) => Task.CompletedTask;

    /// <summary>Every foreign key holds and is enforced again (SQLite switches them off while 0012 runs).</summary>
    protected virtual async Task KeysHoldAsync(DbConnection c)
    {
        Assert.Empty(await c.QueryAsync("SELECT * FROM pragma_foreign_key_check"));
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task A_store_from_before_0012_keeps_every_submission_and_reference_and_may_then_hold_the_same_photo_twice()
    {
        using var dir = new TempDirectory();
        var db = await NewStoreAsync(dir);
        // The store as the previous version left it: every migration before 0012, applied as the migrator does.
        await using (var c = await db.OpenAsync())
        {
            await BeforeMigrationsAsync(c);
            await c.ExecuteAsync("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);");
            foreach (var m in Migrator.All.Where(m => m.Version < 12))
            {
                await c.ExecuteAsync(m.Sql, new { Now = "2022-05-01T00:00:00.000Z" });
                await c.ExecuteAsync("INSERT INTO schema_migrations VALUES (@Version, @Name, '2022-05-01T00:00:00.000Z')", new { m.Version, m.Name });
            }
            await c.ExecuteAsync(
                """
                INSERT INTO students (id, student_number, national_id, name, gender, birth_date, grade, major, class_name, school, track,
                                      teacher_name, teacher_email, eligible, created_at, updated_at)
                VALUES (7, '2020000001', '440605200101010011', '张三', '男', '2001-01-01', '2020级', '会计', '1班', '广东理工职业学院', '',
                        '王老师', 'wang@example.edu.cn', 1, 'x', 'x');
                INSERT INTO submissions (id, student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at,
                                         reasons_zh, evidence_file)
                VALUES (41, 7, 1, 'aaa', 'a.jpg', 100, '2022-05-05T01:00:00.000Z', 'in_window', 'superseded', 'x', '背景', 'evidence/41.png'),
                       (42, 7, 2, 'bbb', 'b.jpg', 100, '2022-05-05T02:00:00.000Z', 'in_window', 'awaiting_review', 'x', NULL, NULL);
                INSERT INTO deadlines (kind, submission_id, due_at, created_at) VALUES ('review_sla_warning', 42, 'x', 'x');
                INSERT INTO findings (submission_id, code, severity, value, limit_text, message_zh, message_en) VALUES (41, 'BG', 'reject', '1', '2', '背景', 'bg');
                """);
            await Assert.ThrowsAnyAsync<DbException>(() => c.ExecuteAsync(
                "INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at) VALUES (7, 3, 'aaa', 'a.jpg', 1, 'x', 'in_window', 'held', 'x')"));
        }

        Assert.Equal(Migrator.All.Count(m => m.Version >= 12), await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync());

        await using var connection = await db.OpenAsync();
        var rows = (await connection.QueryAsync<(long Id, long Student, string Sha, string State, string? Reasons, string? Evidence)>(
            "SELECT id, student_id, sha256, state, reasons_zh, evidence_file FROM submissions ORDER BY id")).ToList();
        Assert.Equal([(41L, 7L, "aaa", "superseded", (string?)"背景", (string?)"evidence/41.png"), (42L, 7L, "bbb", "awaiting_review", null, null)], rows);
        await KeysHoldAsync(connection);
        Assert.Equal(42L, await connection.ExecuteScalarAsync<long>("SELECT submission_id FROM deadlines"));
        Assert.Null(await connection.ExecuteScalarAsync<string?>("SELECT student_email FROM students WHERE id = 7"));

        // The older photo again, as a new current submission: allowed now.
        await connection.ExecuteAsync(
            "INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at) VALUES (7, 3, 'aaa', 'a.jpg', 1, 'x', 'in_window', 'awaiting_inspection', 'x')");
        // And the keys are enforced again: a finding for a submission that does not exist is refused.
        await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(
            "INSERT INTO findings (submission_id, code, severity, value, limit_text, message_zh, message_en) VALUES (999, 'BG', 'reject', '1', '2', 'x', 'x')"));
    }
}

/// <summary>
/// The same on PostgreSQL: 0012's PostgreSQL form drops UNIQUE (student_id, sha256) in place, where SQLite's
/// rebuild would be refused (other tables reference submissions); fails without that form.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StudentContactsMigrationOnPostgresTests(PostgresServer server) : StudentContactsMigrationTests
{
    protected override async Task<Database> NewStoreAsync(TempDirectory dir) => Database.OnPostgres(await server.CreateDatabaseAsync());

    protected override Task BeforeMigrationsAsync(DbConnection c) => c.ExecuteAsync(PostgresCompatibility.Sql);

    // PostgreSQL never switches its keys off; the refused finding below shows they are enforced.
    protected override Task KeysHoldAsync(DbConnection c) => Task.CompletedTask;
}
