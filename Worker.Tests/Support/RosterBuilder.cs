namespace CollectionWorker.Tests.Support;

/// <summary>One student as a test roster row; every field is text as a person would type it.</summary>
public sealed record TestStudent(
    string Name, string Gender, string StudentNumber, string NationalId, string BirthDate, string Grade, string Major,
    string Class, string School, string Track, string Teacher, string TeacherEmail, string StudentEmail = "", string Phone = "")
{
    public static TestStudent Make(int i, string className = "20级计算机1班", string teacher = "王老师", string email = "wang@example.edu.cn",
        string school = "广东理工职业学院", string grade = "2020级", string track = "")
    {
        var male = i % 2 == 1;
        var birth = new DateOnly(2001, 1, 1).AddDays(i % 700);
        return new TestStudent($"学生{i:0000}", male ? "男" : "女", $"2020{i:000000}", TestIds.ForStudent(i, birth, male),
            birth.ToString("yyyy-MM-dd"), grade, "计算机应用技术", className, school, track, teacher, email);
    }

    /// <summary>The cells in <see cref="RosterBuilder.ChineseHeaders"/> order; the two contact cells are written only under <see cref="RosterBuilder.WithContacts"/>.</summary>
    public string[] Cells => [Name, Gender, StudentNumber, NationalId, BirthDate, Grade, Major, Class, School, Track, Teacher, TeacherEmail, StudentEmail, Phone];
}

/// <summary>Writes real .xlsx rosters (Open XML SDK, <see cref="WorkbookEditor"/>), every value as text.</summary>
public static class RosterBuilder
{
    public static readonly string[] ChineseHeaders = ["姓名", "性别", "学号", "身份证号", "出生日期", "年级", "专业", "班级", "办学单位", "类别", "班主任", "班主任邮箱"];
    public static readonly string[] EnglishHeaders = ["Name", "Gender", "StudentNumber", "NationalId", "BirthDate", "Grade", "Major", "Class", "School", "Track", "Teacher", "TeacherEmail"];
    /// <summary>The Chinese headers with the optional student contact columns.</summary>
    public static readonly string[] WithContacts = [.. ChineseHeaders, "学生邮箱 StudentEmail", "手机号 Phone"];

    /// <summary>Sheet "名单": the header in row 1, a student per row from row 2; <paramref name="edit"/> then changes what it likes.</summary>
    public static string Write(string path, IEnumerable<TestStudent> students, string[]? headers = null, Action<WorksheetEditor>? edit = null)
    {
        using var wb = WorkbookEditor.Create(path);
        var ws = wb.AddSheet("名单");
        var list = students.ToList();
        // The contact columns only when a student has one, so every other roster keeps the plain layout.
        headers ??= list.Any(s => s.StudentEmail.Length > 0 || s.Phone.Length > 0) ? WithContacts : ChineseHeaders;
        for (var c = 0; c < headers.Length; c++) ws.SetText(1, c + 1, headers[c]);
        var r = 2;
        foreach (var s in list)
        {
            var cells = s.Cells;
            for (var c = 0; c < cells.Length && c < headers.Length; c++) ws.SetText(r, c + 1, cells[c]);
            r++;
        }
        edit?.Invoke(ws);
        return path;
    }
}
