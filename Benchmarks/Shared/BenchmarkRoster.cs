using CollectionWorker.Sheets;
using CollectionWorker.Roster;

/// <summary>
/// The generated roster the benchmarks import: student i gets a valid, unique ID number (any i below
/// ten million), number 2020{i:000000}, and a class and teacher chosen by <c>placement</c>
/// (default: classes of 40 with their own teacher, 500 teachers).
/// </summary>
static class BenchmarkRoster
{
    public static void Write(string path, int count, int first = 0, Func<int, (string Class, string Teacher, string Email)>? placement = null)
    {
        placement ??= i => ($"20级{i / 40 % 500:000}班", $"老师{i / 40 % 500:000}", $"t{i / 40 % 500:000}@example.edu.cn");
        var wb = new XlsxWorkbook();
        var ws = wb.AddSheet("名单");
        string[] headers = ["姓名", "性别", "学号", "身份证号", "出生日期", "年级", "专业", "班级", "办学单位", "类别", "班主任", "班主任邮箱"];
        for (var c = 0; c < headers.Length; c++) ws.Text(1, c + 1, headers[c]);
        for (var i = first; i < first + count; i++)
        {
            var male = i % 2 == 1;
            var birth = new DateOnly(2001, 1, 1).AddDays(i % 700);
            var first17 = $"44{i / 1000 % 10000:0000}{birth:yyyyMMdd}{i % 500 * 2 + (male ? 1 : 0):000}";
            var (cls, teacher, email) = placement(i);
            string[] cells = [$"学生{i:00000}", male ? "男" : "女", $"2020{i:000000}", first17 + NationalId.ComputeCheckChar(first17),
                birth.ToString("yyyy-MM-dd"), "2020级", "计算机应用技术", cls, "广东理工职业学院", "", teacher, email];
            for (var c = 0; c < cells.Length; c++) ws.Text(i - first + 2, c + 1, cells[c]);
        }
        wb.SaveAs(path);
    }
}
