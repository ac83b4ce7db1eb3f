using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Tests.Roster;

public class RosterImportTests
{
    private static List<TestStudent> Class(int count, int first = 1, string className = "20级计算机1班") =>
        Enumerable.Range(first, count).Select(i => TestStudent.Make(i, className)).ToList();

    private static Task<System.Data.Common.DbConnection> OpenAsync(TestHost host) => host.OpenStoreAsync();

    [Fact]
    public async Task A_valid_roster_is_imported_with_every_field()
    {
        using var host = new TestHost();
        var students = Class(5);
        var file = RosterBuilder.Write(host.File("roster.xlsx"), students);

        var result = await host.RunAsync("import-roster", file);

        Assert.Equal(0, result.Exit);
        Assert.Contains("Imported 5 students: 5 added", result.Out);
        await using var c = await OpenAsync(host);
        var row = await c.QuerySingleAsync("SELECT * FROM students WHERE student_number = @n", new { n = students[2].StudentNumber });
        Assert.Equal(students[2].Name, (string)row.name);
        Assert.Equal(students[2].NationalId, (string)row.national_id);
        Assert.Equal(students[2].BirthDate, (string)row.birth_date);
        Assert.Equal("20级计算机1班", (string)row.class_name);
        Assert.Equal("wang@example.edu.cn", (string)row.teacher_email);
        Assert.Equal(1L, (long)row.eligible);
        Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM roster_imports"));
    }

    [Fact]
    public async Task English_headers_in_any_order_with_a_title_row_and_extra_columns_are_read()
    {
        using var host = new TestHost();
        var file = host.File("english.xlsx");
        using (var wb = WorkbookEditor.Create(file))
        {
            var ws = wb.AddSheet("Sheet1");
            ws.SetText(1, 1, "2022届毕业生名单");
            ws.Merge("A1:F1"); // a merged title above the header is usual and fine
            string[] headers = ["Student Number", "Name", "Remarks", "National ID", "Gender", "Grade", "Major", "Class", "School", "Teacher", "Teacher Email"];
            for (var c = 0; c < headers.Length; c++) ws.SetText(2, c + 1, headers[c]);
            var s = TestStudent.Make(7);
            string[] cells = [s.StudentNumber, s.Name, "anything", s.NationalId, s.Gender, s.Grade, s.Major, s.Class, s.School, s.Teacher, s.TeacherEmail];
            for (var c = 0; c < cells.Length; c++) ws.SetText(3, c + 1, cells[c]);
        }

        var result = await host.RunAsync("import-roster", file);

        Assert.True(result.Exit == 0, result.Err);
        await using var c2 = await OpenAsync(host);
        // Birth date column absent: taken from the ID number.
        Assert.Equal(TestStudent.Make(7).BirthDate, await c2.ExecuteScalarAsync<string>("SELECT birth_date FROM students"));
    }

    [Fact]
    public async Task Leading_zeros_and_a_lower_case_x_survive_and_numbers_typed_as_numbers_are_read()
    {
        using var host = new TestHost();
        var s = TestStudent.Make(3) with { StudentNumber = "0012345", NationalId = "11010519491231002x", BirthDate = "1949-12-31", Gender = "女" };
        var file = RosterBuilder.Write(host.File("zeros.xlsx"), [s, TestStudent.Make(4)], edit: ws =>
        {
            ws.SetNumber(3, 3, 2020000004); // student number typed as a number
            ws.SetDate(3, 5, new DateTime(2001, 1, 5)); // a real date cell
        });

        var result = await host.RunAsync("import-roster", file);

        Assert.True(result.Exit == 0, result.Err);
        await using var c = await OpenAsync(host);
        Assert.Equal("11010519491231002X", await c.ExecuteScalarAsync<string>("SELECT national_id FROM students WHERE student_number = '0012345'"));
        Assert.Equal("2001-01-05", await c.ExecuteScalarAsync<string>("SELECT birth_date FROM students WHERE student_number = '2020000004'"));
    }

    public static TheoryData<string, Func<TestStudent, TestStudent>, string> RowErrors => new()
    {
        { "missing name", s => s with { Name = "" }, "Name is required" },
        { "missing teacher e-mail", s => s with { TeacherEmail = "" }, "TeacherEmail is required" },
        { "ID too short", s => s with { NationalId = s.NationalId[..17] }, "18 characters" },
        { "ID wrong check digit", s => s with { NationalId = s.NationalId[..17] + (s.NationalId[17] == '0' ? '1' : '0') }, "check digit is wrong" },
        { "ID with letters", s => s with { NationalId = "44060520010101A01X" }, "must be a digit" },
        { "birth date differs from ID", s => s with { BirthDate = "1999-09-09" }, "does not match" },
        { "birth date unreadable", s => s with { BirthDate = "last spring" }, "is not a date" },
        { "gender differs from ID", s => s with { Gender = s.Gender == "男" ? "女" : "男" }, "does not match the ID number" },
        { "gender unknown", s => s with { Gender = "X" }, "not recognised" },
        { "bad teacher e-mail", s => s with { TeacherEmail = "wang at school" }, "not a valid address" },
        { "bad student number", s => s with { StudentNumber = "2020 0001/2" }, "letters, digits and hyphens" },
        { "grade without year", s => s with { Grade = "毕业班" }, "has no year" },
    };

    [Theory]
    [MemberData(nameof(RowErrors))]
    public async Task Each_row_error_rejects_the_whole_file_naming_row_and_column(string kind, Func<TestStudent, TestStudent> spoil, string expected)
    {
        using var host = new TestHost();
        var students = Class(4);
        students[2] = spoil(students[2]);
        var file = RosterBuilder.Write(host.File("bad.xlsx"), students);

        var result = await host.RunAsync("import-roster", file);

        Assert.True(result.Exit == 1, kind);
        Assert.Contains("row 4, column", result.Err); // third student = sheet row 4
        Assert.Contains(expected, result.Err);
        Assert.Contains("Nothing was imported", result.Err);
        await using var c = await OpenAsync(host);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM students"));

        var errors = host.File("bad.errors.xlsx");
        Assert.Equal(errors, result.Out.Trim());
        var ws = WorkbookView.Open(errors).Sheet(1);
        Assert.Equal("错误 Errors", ws.Text(1, 13));
        Assert.Contains(expected, ws.Text(4, 13));
        Assert.Equal("", ws.Text(3, 13));
        Assert.Equal(students[2].Name, ws.Text(4, 1));
    }

    [Fact]
    public async Task Duplicate_numbers_and_ids_in_the_file_name_both_rows()
    {
        using var host = new TestHost();
        var students = Class(4);
        students[3] = students[3] with { StudentNumber = students[0].StudentNumber };
        students[2] = students[2] with { NationalId = students[1].NationalId, BirthDate = students[1].BirthDate, Gender = students[1].Gender };
        var file = RosterBuilder.Write(host.File("dups.xlsx"), students);

        var result = await host.RunAsync("import-roster", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains($"student number {students[0].StudentNumber} repeats row 2", result.Err);
        Assert.Contains("the ID number repeats row 3", result.Err);
    }

    [Fact]
    public async Task A_file_that_is_not_a_workbook_is_rejected_clearly()
    {
        using var host = new TestHost();
        var file = host.File("roster.xlsx");
        await File.WriteAllTextAsync(file, "姓名,学号\n张三,2020001\n");

        var result = await host.RunAsync("import-roster", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains("not an Excel .xlsx workbook", result.Err);
    }

    [Fact]
    public async Task An_old_xls_or_encrypted_file_is_told_to_save_as_xlsx()
    {
        using var host = new TestHost();
        var file = host.File("roster.xlsx");
        await File.WriteAllBytesAsync(file, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]);
        var result = await host.RunAsync("import-roster", file);
        Assert.Equal(1, result.Exit);
        Assert.Contains("save it as .xlsx", result.Err);
    }

    [Fact]
    public async Task An_empty_workbook_and_a_header_without_rows_are_rejected()
    {
        using var host = new TestHost();
        var empty = host.File("empty.xlsx");
        using (var wb = WorkbookEditor.Create(empty)) wb.AddSheet("Sheet1");
        var r1 = await host.RunAsync("import-roster", empty);
        Assert.Equal(1, r1.Exit);
        Assert.Contains("the workbook is empty", r1.Err);

        var headerOnly = RosterBuilder.Write(host.File("header-only.xlsx"), []);
        var r2 = await host.RunAsync("import-roster", headerOnly);
        Assert.Equal(1, r2.Exit);
        Assert.Contains("no student rows", r2.Err);
    }

    [Fact]
    public async Task Missing_required_columns_are_listed()
    {
        using var host = new TestHost();
        var headers = RosterBuilder.ChineseHeaders.Where(h => h is not "身份证号" and not "班主任邮箱").ToArray();
        var file = RosterBuilder.Write(host.File("cols.xlsx"), Class(2), headers);

        var result = await host.RunAsync("import-roster", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains("required columns are missing", result.Err);
        Assert.Contains("身份证号 NationalId", result.Err);
        Assert.Contains("班主任邮箱 TeacherEmail", result.Err);
    }

    [Fact]
    public async Task A_formula_cell_without_a_stored_result_is_named()
    {
        using var host = new TestHost();
        var file = RosterBuilder.Write(host.File("formula.xlsx"), Class(3), edit: ws => ws.SetFormula(3, 1, "CONCATENATE(\"张\",\"三\")"));

        var result = await host.RunAsync("import-roster", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains("row 3, column A (姓名 Name)", result.Err);
        Assert.Contains("formula", result.Err);
    }

    [Fact]
    public async Task Merged_cells_in_the_header_are_rejected()
    {
        using var host = new TestHost();
        var file = RosterBuilder.Write(host.File("merged.xlsx"), Class(3), edit: ws => ws.Merge("J1:K1"));

        var result = await host.RunAsync("import-roster", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains("J1:K1 is a merged cell", result.Err);
    }

    [Fact]
    public async Task An_id_number_stored_as_a_number_is_rejected_not_truncated()
    {
        using var host = new TestHost();
        var file = RosterBuilder.Write(host.File("numeric-id.xlsx"), Class(2), edit: ws => ws.SetNumber(2, 4, 440605200101010011d));

        var result = await host.RunAsync("import-roster", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains("row 2, column D", result.Err);
        Assert.Contains("lost its last digits", result.Err);
    }

    [Fact]
    public async Task Re_import_updates_details_keeps_submissions_and_flags_missing_students()
    {
        using var host = new TestHost();
        var students = Class(4);
        Assert.Equal(0, (await host.RunAsync("import-roster", RosterBuilder.Write(host.File("v1.xlsx"), students))).Exit);

        await using (var c = await OpenAsync(host))
        {
            // A submission recorded between imports must survive a re-import.
            await c.ExecuteAsync(
                """
                INSERT INTO submissions (student_id, attempt, sha256, original_name, size_bytes, received_at, window_stamp, state, state_changed_at)
                SELECT id, 1, 'abc', 'x.jpg', 1, '2022-05-05T01:00:00.000Z', 'in_window', 'awaiting_review', '2022-05-05T01:00:00.000Z'
                FROM students WHERE student_number = @n
                """, new { n = students[0].StudentNumber });
        }

        var v2 = new List<TestStudent> { students[0] with { Name = "改名" }, students[1], students[2], TestStudent.Make(99) };
        var result = await host.RunAsync("import-roster", RosterBuilder.Write(host.File("v2.xlsx"), v2));

        Assert.Equal(0, result.Exit);
        Assert.Contains("1 added, 1 updated, 2 unchanged", result.Out);
        Assert.Contains("1 in the store but missing from this roster", result.Out);
        await using var c2 = await OpenAsync(host);
        Assert.Equal(5, await c2.ExecuteScalarAsync<int>("SELECT count(*) FROM students"));
        Assert.Equal(0, await c2.ExecuteScalarAsync<int>("SELECT in_roster FROM students WHERE student_number = @n", new { n = students[3].StudentNumber }));
        Assert.Equal("改名", await c2.ExecuteScalarAsync<string>("SELECT name FROM students WHERE student_number = @n", new { n = students[0].StudentNumber }));
        Assert.Equal(1, await c2.ExecuteScalarAsync<int>("SELECT count(*) FROM submissions"));
        var audit = await c2.ExecuteScalarAsync<string>("SELECT detail FROM audit_log WHERE action = 'student.updated'");
        Assert.Contains("\"name\"", audit);
        Assert.Contains("v2.xlsx", audit);
    }

    [Fact]
    public async Task A_corrected_student_number_updates_the_same_student()
    {
        using var host = new TestHost();
        var s = TestStudent.Make(5);
        Assert.Equal(0, (await host.RunAsync("import-roster", RosterBuilder.Write(host.File("v1.xlsx"), [s]))).Exit);
        var result = await host.RunAsync("import-roster", RosterBuilder.Write(host.File("v2.xlsx"), [s with { StudentNumber = "2020999999" }]));
        Assert.Equal(0, result.Exit);
        await using var c = await OpenAsync(host);
        Assert.Equal("2020999999", await c.ExecuteScalarAsync<string>("SELECT student_number FROM students"));
    }

    [Fact]
    public async Task Students_outside_the_cohorts_are_stored_as_not_eligible_and_left_out_of_status()
    {
        using var host = new TestHost();
        var students = Class(3);
        students.Add(TestStudent.Make(50, "19级会计班", grade: "2019级"));
        var result = await host.RunAsync("import-roster", RosterBuilder.Write(host.File("mixed.xlsx"), students));
        Assert.Equal(0, result.Exit);
        Assert.Contains("1 not eligible", result.Out);

        var status = await host.RunAsync("status", "--json");
        Assert.Equal(0, status.Exit);
        Assert.Contains("\"total\": 3", status.Out);
        Assert.DoesNotContain("19级会计班", status.Out);
    }

    [Fact]
    public async Task A_missing_file_is_rejected_with_exit_1()
    {
        using var host = new TestHost();
        var result = await host.RunAsync("import-roster", host.File("nope.xlsx"));
        Assert.Equal(1, result.Exit);
        Assert.Contains("no such file", result.Err);
    }
}
