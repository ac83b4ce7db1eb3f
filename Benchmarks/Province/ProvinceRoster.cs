using CollectionWorker.Store;
using Dapper;

/// <summary>
/// The province's students. One roster workbook may hold 25,000 rows (Store/WorkbookGuard's limit for a roster),
/// so `import-roster` imports the first <see cref="PerWorkbook"/> students, as a college would, and the rest of the
/// province is added to the store directly: copies of the imported rows (same columns, eligibility and cohort) with
/// their own student number, ID number, name, class and teacher, numbered on from the workbook's as
/// <see cref="Placement"/> places them. Student i is 2020{i:000000}, the name of its upload.
/// </summary>
static class ProvinceRoster
{
    public const int PerWorkbook = 20_000;

    /// <summary>Student i's class and teacher: classes of <paramref name="classSize"/>, a teacher each, numbered from 100001.</summary>
    public static (string Class, string Teacher, string Email) Placement(int i, int classSize)
    {
        var n = 100_000 + (i - 1) / classSize + 1;
        return ($"20级{n}班", $"老师{n}", $"t{n}@example.edu.cn");
    }

    public static void WriteWorkbook(string path, int students, int classSize) =>
        BenchmarkRoster.Write(path, Math.Min(students, PerWorkbook), first: 1, placement: i => Placement(i, classSize));

    /// <summary>
    /// Adds students PerWorkbook+1 … <paramref name="students"/> to the store, one INSERT … SELECT over the imported rows per
    /// block of PerWorkbook (the same SQL on both stores); returns how many it added. Their ID numbers are unique but not
    /// checked (nothing reads them again once stored).
    /// </summary>
    public static async Task<int> AddRestAsync(Database database, int students, int classSize)
    {
        if (students <= PerWorkbook) return 0;
        await using var c = await database.OpenAsync();
        var imported = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM students");
        if (imported != PerWorkbook) throw new InvalidOperationException($"{imported} students imported, expected {PerWorkbook}");
        await using var tx = await c.BeginTransactionAsync();
        var added = 0;
        for (var offset = PerWorkbook; offset < students; offset += PerWorkbook)
        {
            // i: the new student's number in the province; the imported student i - offset is copied.
            const string i = "(CAST(student_number AS INTEGER) - 2020000000 + @offset)";
            added += await c.ExecuteAsync(
                $"""
                INSERT INTO students (student_number, national_id, name, gender, birth_date, grade, major, class_name, school, track,
                                      teacher_name, teacher_email, eligible, cohort, in_roster, created_at, updated_at, student_email, phone)
                SELECT CAST(2020000000 + {i} AS TEXT), '45' || CAST(100000000000000 + {i} AS TEXT) || 'X', '学生' || CAST({i} AS TEXT),
                       gender, birth_date, grade, major,
                       '20级' || CAST(100000 + ({i} - 1) / @classSize + 1 AS TEXT) || '班', school, track,
                       '老师' || CAST(100000 + ({i} - 1) / @classSize + 1 AS TEXT), 't' || CAST(100000 + ({i} - 1) / @classSize + 1 AS TEXT) || '@example.edu.cn',
                       eligible, cohort, in_roster, created_at, updated_at, student_email, phone
                FROM students WHERE CAST(student_number AS INTEGER) - 2020000000 <= @last
                """, new { offset, classSize, last = Math.Min(PerWorkbook, students - offset) }, tx);
        }
        await tx.CommitAsync();
        return added;
    }
}
