using CollectionWorker.Campaign;
using CollectionWorker.Roster;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CollectionWorker.Tests.Roster;

/// <summary>
/// What an import leaves in the store, on both stores: every student row, one audit line per student added,
/// changed or missing (the history shows each), the import's own row, and nothing at all when the store
/// fails halfway through the rows.
/// </summary>
[Collection(PostgresCollection.Name)]
public class RosterStoreTests(PostgresServer server)
{
    private async Task<Database> StoreAsync(StoreProvider provider, TempDirectory dir)
    {
        var db = provider == StoreProvider.Sqlite ? new Database(dir.File("collection.db")) : await server.CreateStoreAsync();
        await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync();
        return db;
    }

    private static RosterImporter Importer(Database db) =>
        new(db, new RosterWorkbookReader(), new RosterValidator(new CohortMatcher(CampaignOptions.NoticeCohorts)), TimeProvider.System,
            NullLogger<RosterImporter>.Instance);

    private sealed record AuditRow(string at, string actor, string action, string subject, string? detail);

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.PostgreSql)]
    public async Task Every_student_is_stored_with_one_audit_line_and_a_re_import_audits_each_change(StoreProvider provider)
    {
        using var dir = new TempDirectory();
        var db = await StoreAsync(provider, dir);
        var students = Enumerable.Range(1, 120).Select(i => TestStudent.Make(i, $"20级{i / 40}班")).ToList();

        var first = await Importer(db).ImportAsync(RosterBuilder.Write(dir.File("v1.xlsx"), students), "cli:admin");

        Assert.True(first.Succeeded, string.Join("\n", first.Problems));
        Assert.Equal((120, 120, 0, 0, 0), (first.Rows, first.Added, first.Updated, first.Unchanged, first.FlaggedMissing));
        await using (var c = await db.OpenAsync())
        {
            var stored = (await c.QueryAsync<(string, string, string, string, string, string, string, string)>(
                "SELECT student_number, national_id, name, gender, birth_date, class_name, teacher_email, cohort FROM students ORDER BY student_number")).ToList();
            Assert.Equal(students.Select(s => (s.StudentNumber, s.NationalId, s.Name, s.Gender, s.BirthDate, s.Class, s.TeacherEmail)),
                stored.Select(s => (s.Item1, s.Item2, s.Item3, s.Item4, s.Item5, s.Item6, s.Item7)));
            Assert.All(stored, s => Assert.False(string.IsNullOrEmpty(s.Item8)));
            Assert.Equal(120L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM students WHERE eligible = 1 AND in_roster = 1 AND student_email IS NULL"));

            var audit = (await c.QueryAsync<AuditRow>("SELECT at, actor, action, subject, detail FROM audit_log ORDER BY id")).ToList();
            Assert.Equal(students.Select(s => s.StudentNumber), audit.Select(a => a.subject));
            Assert.All(audit, a => Assert.Equal(("cli:admin", "student.added", "{\"file\":\"v1.xlsx\"}"), (a.actor, a.action, a.detail)));
            var importedAt = await c.ExecuteScalarAsync<string>("SELECT imported_at FROM roster_imports");
            Assert.All(audit, a => Assert.Equal(importedAt, a.at));
            Assert.Equal(importedAt, await c.ExecuteScalarAsync<string>("SELECT DISTINCT created_at FROM students"));
        }

        // Renamed, number corrected (recognised by the ID number), dropped, added; the other 116 unchanged.
        var second = students.ToList();
        second[0] = second[0] with { Name = "改名 学生" };
        second[1] = second[1] with { StudentNumber = "2020777777" };
        second.RemoveAt(2);
        second.Add(TestStudent.Make(500, "20级3班"));
        var again = await Importer(db).ImportAsync(RosterBuilder.Write(dir.File("v2.xlsx"), second), "inbox");

        Assert.True(again.Succeeded, string.Join("\n", again.Problems));
        Assert.Equal((120, 1, 2, 117, 1), (again.Rows, again.Added, again.Updated, again.Unchanged, again.FlaggedMissing));
        await using (var c = await db.OpenAsync())
        {
            var audit = (await c.QueryAsync<AuditRow>("SELECT at, actor, action, subject, detail FROM audit_log WHERE actor = 'inbox' ORDER BY id")).ToList();
            Assert.Equal(new (string, string, string?)[]
            {
                ("student.updated", students[0].StudentNumber, "{\"file\":\"v2.xlsx\",\"changes\":[\"name\"]}"),
                ("student.updated", "2020777777", "{\"file\":\"v2.xlsx\",\"changes\":[\"student_number\"]}"),
                ("student.added", second[^1].StudentNumber, "{\"file\":\"v2.xlsx\"}"),
                ("student.missing_from_roster", students[2].StudentNumber, "{\"file\":\"v2.xlsx\"}"),
            }, audit.Select(a => (a.action, a.subject, a.detail)).ToList());
            Assert.Equal("改名 学生", await c.ExecuteScalarAsync<string>("SELECT name FROM students WHERE student_number = @n", new { n = students[0].StudentNumber }));
            Assert.Equal(students[1].NationalId, await c.ExecuteScalarAsync<string>("SELECT national_id FROM students WHERE student_number = '2020777777'"));
            Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT in_roster FROM students WHERE student_number = @n", new { n = students[2].StudentNumber }));
            Assert.Equal(121L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM students"));
            // A changed or dropped student gets the import's time; an unchanged one keeps its own.
            Assert.Equal(3L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM students WHERE updated_at <> created_at"));
        }
    }

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.PostgreSql)]
    public async Task A_store_failure_at_the_hundredth_row_leaves_nothing_of_the_import(StoreProvider provider)
    {
        using var dir = new TempDirectory();
        var db = await StoreAsync(provider, dir);
        var students = Enumerable.Range(1, 150).Select(i => TestStudent.Make(i)).ToList();
        // The database itself refuses the 100th student, after 99 were written with their audit lines.
        if (provider == StoreProvider.Sqlite)
        {
            await using var c = await db.OpenAsync();
            await c.ExecuteAsync($"CREATE TRIGGER refuse AFTER INSERT ON students WHEN NEW.student_number = '{students[99].StudentNumber}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
        }
        else
        {
            await using var c = await db.OpenPostgresAsync();
            await c.ExecuteAsync($"""
                CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.student_number = '{students[99].StudentNumber}' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER refuse AFTER INSERT ON students FOR EACH ROW EXECUTE FUNCTION refuse();
                """);
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Importer(db).ImportAsync(RosterBuilder.Write(dir.File("v1.xlsx"), students), "cli:admin"));

        Assert.Contains("refused by the test", error.Message);
        await using var check = await db.OpenAsync();
        Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM students"));
        Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log"));
        Assert.Equal(0L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM roster_imports"));
    }
}
