using System.Data.Common;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CollectionWorker.Tests.Store;

/// <summary>
/// A teacher's own students (every digest, reminder and teacher workbook) on a real store: found whatever the case
/// of the address, and found through the teacher index of migration 0014 rather than by reading the whole roster
/// (the province benchmark: at 200,000 students each of 5,000 digests scanned every student). On PostgreSQL in
/// <see cref="TeacherFilterOnPostgresTests"/>.
/// </summary>
public class TeacherFilterTests
{
    protected virtual Task<Database> NewDatabase(TempDirectory dir) => Task.FromResult(new Database(dir.File("collection.db")));

    /// <summary>The plan of a query as text: SQLite's EXPLAIN QUERY PLAN lines.</summary>
    protected virtual async Task<string> PlanAsync(DbConnection c, string sql, object args) =>
        string.Join("\n", (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, args)).Select(r => r.Detail));

    private async Task<Database> StoreWithStudentsAsync(TempDirectory dir, int teachers)
    {
        var db = await NewDatabase(dir);
        await new Migrator(db, NullLogger<Migrator>.Instance).ApplyAsync();
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var rows = Enumerable.Range(1, teachers * 20).Select(i => new
        {
            number = $"2020{i:000000}", id = $"44010119990101{i:0000}", name = $"学生{i}", cls = $"20级{(i - 1) / 20 + 1:000}班",
            teacher = $"老师{(i - 1) / 20 + 1:000}",
            // Teacher 1's address is written with capitals in the roster.
            email = (i - 1) / 20 == 0 ? "Wang.Wei@Example.EDU.cn" : $"t{(i - 1) / 20 + 1:000}@example.edu.cn",
        });
        await c.ExecuteAsync(
            """
            INSERT INTO students (student_number, national_id, name, gender, birth_date, grade, major, class_name, school, track,
                                  teacher_name, teacher_email, eligible, cohort, in_roster, created_at, updated_at)
            VALUES (@number, @id, @name, '男', '1999-01-01', '2020级', '计算机应用技术', @cls, '广东理工职业学院', '', @teacher, @email, 1, NULL, 1,
                    '2022-05-06T01:00:00.000Z', '2022-05-06T01:00:00.000Z')
            """, rows, tx);
        await tx.CommitAsync();
        return db;
    }

    [Fact]
    public async Task A_teacher_gets_their_own_students_whatever_the_case_of_the_address_and_the_other_filters_still_hold()
    {
        using var dir = new TempDirectory();
        var db = await StoreWithStudentsAsync(dir, teachers: 5);
        var report = new ProgressReport(db, TimeProvider.System);

        var wang = await report.StudentsAsync(new StudentFilter(TeacherEmail: "wang.wei@example.edu.CN"));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"2020{i:000000}"), wang.Select(s => s.StudentNumber));
        Assert.All(wang, s => Assert.Equal("Wang.Wei@Example.EDU.cn", s.TeacherEmail));
        Assert.Equal(20, (await report.StudentsAsync(new StudentFilter(TeacherEmail: "T003@EXAMPLE.edu.cn"))).Count);
        Assert.Empty(await report.StudentsAsync(new StudentFilter(TeacherEmail: "nobody@example.edu.cn")));

        Assert.Equal(100, (await report.StudentsAsync()).Count);
        Assert.Equal(Enumerable.Range(41, 20).Select(i => $"2020{i:000000}"),
            (await report.StudentsAsync(new StudentFilter(ClassName: "20级003班"))).Select(s => s.StudentNumber));
        Assert.Equal("学生77", Assert.Single(await report.StudentsAsync(new StudentFilter(StudentNumber: "2020000077"))).Name);
        // Filters together narrow each other: teacher 3's class 3 has all 20, teacher 1 has no one in class 3.
        Assert.Equal(20, (await report.StudentsAsync(new StudentFilter(ClassName: "20级003班", TeacherEmail: "t003@example.edu.cn"))).Count);
        Assert.Empty(await report.StudentsAsync(new StudentFilter(ClassName: "20级003班", TeacherEmail: "wang.wei@example.edu.cn")));
    }

    [Fact]
    public async Task A_teachers_students_are_found_through_the_teacher_index_not_by_reading_every_student()
    {
        using var dir = new TempDirectory();
        var db = await StoreWithStudentsAsync(dir, teachers: 100);
        await using var c = await db.OpenAsync();
        var plan = await PlanAsync(c, ProgressReport.Query(new StudentFilter(TeacherEmail: "t042@example.edu.cn")),
            new { ClassName = (string?)null, TeacherEmail = "t042@example.edu.cn", StudentNumber = (string?)null });
        Assert.Contains("ix_students_teacher", plan);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class TeacherFilterOnPostgresTests(PostgresServer server) : TeacherFilterTests
{
    protected override async Task<Database> NewDatabase(TempDirectory dir) => await server.CreateStoreAsync();

    /// <summary>PostgreSQL's EXPLAIN, with sequential scans priced out: on a table this small a scan would otherwise win
    /// even where the index serves the query; where it cannot, the plan is a scan all the same.</summary>
    protected override async Task<string> PlanAsync(DbConnection c, string sql, object args)
    {
        await c.ExecuteAsync("SET enable_seqscan = off");
        return string.Join("\n", await c.QueryAsync<string>("EXPLAIN " + sql, args));
    }
}
