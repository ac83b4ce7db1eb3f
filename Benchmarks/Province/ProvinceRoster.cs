using CollectionWorker.Store;
using Dapper;

/// <summary>
/// The province's students. One roster workbook holds a province (Store/WorkbookGuard's limit for a roster: 260,000
/// rows), so by default `import-roster` imports every student from one workbook. Only as an option (--copy-beyond N,
/// to keep the set-up short while working on later steps) does the workbook hold the first N students and the rest
/// are added to the store directly: copies of the imported rows (same columns, eligibility and cohort) with their own
/// student number, ID number, name, class and teacher, numbered on from the workbook's as <see cref="Placement"/>
/// places them. Student i is 2020{i:000000}, the name of its upload.
/// </summary>
static class ProvinceRoster
{
    /// <summary>The most students one roster workbook holds: the roster's row limit less its header row.</summary>
    public static int MostPerWorkbook => WorkbookLimits.Roster.MaxRows - 1;

    /// <summary>Student i's class and teacher: classes of <paramref name="classSize"/>, a teacher each, numbered from 100001.</summary>
    public static (string Class, string Teacher, string Email) Placement(int i, int classSize)
    {
        var n = 100_000 + (i - 1) / classSize + 1;
        return ($"20级{n}班", $"老师{n}", $"t{n}@example.edu.cn");
    }

    public static void WriteWorkbook(string path, int students, int perWorkbook, int classSize) =>
        BenchmarkRoster.Write(path, Math.Min(students, perWorkbook), first: 1, placement: i => Placement(i, classSize));

    /// <summary>
    /// Adds students perWorkbook+1 … <paramref name="students"/> to the store, one INSERT … SELECT over the imported rows per
    /// block of perWorkbook (the same SQL on both stores); returns how many it added (none when the workbook held them all). Their ID numbers are unique but not
    /// checked (nothing reads them again once stored).
    /// </summary>
    public static async Task<int> AddRestAsync(Database database, int students, int perWorkbook, int classSize)
    {
        if (students <= perWorkbook) return 0;
        await using var c = await database.OpenAsync();
        var imported = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM students");
        if (imported != perWorkbook) throw new InvalidOperationException($"{imported} students imported, expected {perWorkbook}");
        await using var tx = await c.BeginTransactionAsync();
        var added = 0;
        for (var offset = perWorkbook; offset < students; offset += perWorkbook)
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
                """, new { offset, classSize, last = Math.Min(perWorkbook, students - offset) }, tx);
        }
        await tx.CommitAsync();
        return added;
    }
}
