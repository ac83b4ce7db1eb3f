using CollectionWorker.Campaign;
using CollectionWorker.Roster;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Roster;

/// <summary>The row checks on their own (no workbook): what a name becomes, and that a text checked once is still judged on every row.</summary>
public class RosterValidatorTests
{
    private static RosterSheet Sheet(IEnumerable<TestStudent> students)
    {
        var sheet = new RosterSheet { SheetName = "名单", HeaderRow = 1 };
        var fields = RosterColumns.All.Take(12).Select(c => c.Field).ToArray(); // the columns of TestStudent.Cells, in order
        for (var c = 0; c < fields.Length; c++) sheet.FieldColumns[fields[c]] = c + 1;
        var r = 2;
        foreach (var s in students)
        {
            var cells = s.Cells.Take(12).ToArray();
            var row = new RosterRow(r++, cells);
            for (var c = 0; c < fields.Length; c++) row[fields[c]] = cells[c];
            sheet.Rows.Add(row);
        }
        return sheet;
    }

    private static RosterValidator Validator() => new(new CohortMatcher(CampaignOptions.NoticeCohorts));

    [Theory]
    [InlineData("张三", "张三")]
    [InlineData("  Li Ming ", "Li Ming")]
    [InlineData("张  三", "张 三")]
    [InlineData("张\t三", "张 三")]
    [InlineData("张\u3000三", "张 三")]
    [InlineData("Li \u00a0 Ming", "Li Ming")]
    [InlineData("A B  C", "A B C")]
    public void A_name_is_trimmed_and_each_run_of_white_space_is_one_space(string typed, string stored)
    {
        var sheet = Sheet([TestStudent.Make(1) with { Name = typed }]);

        var records = Validator().Validate(sheet);

        Assert.Empty(sheet.Problems);
        Assert.Equal(stored, Assert.Single(records).Name);
    }

    [Fact]
    public void A_bad_address_gender_or_grade_repeated_on_many_rows_is_named_on_every_row()
    {
        var students = Enumerable.Range(1, 6).Select(i => TestStudent.Make(i)).ToList();
        students[1] = students[1] with { TeacherEmail = "wang@@example.edu.cn" };
        students[4] = students[4] with { TeacherEmail = "wang@@example.edu.cn", Gender = "x", Grade = "毕业班" };
        students[5] = students[5] with { Gender = "x", Grade = "毕业班" };
        var sheet = Sheet(students);

        var records = Validator().Validate(sheet);

        Assert.Equal([1, 3, 4], records.Select(r => r.SourceRow - 1));
        Assert.Equal([3, 6], sheet.Problems.Where(p => p.MessageEn.Contains("teacher e-mail")).Select(p => p.Row ?? 0));
        Assert.Equal([6, 7], sheet.Problems.Where(p => p.MessageEn.Contains("gender 'x'")).Select(p => p.Row ?? 0));
        Assert.Equal([6, 7], sheet.Problems.Where(p => p.MessageEn.Contains("grade '毕业班'")).Select(p => p.Row ?? 0));
        Assert.All(records, r => Assert.True(r.Eligible));
    }
}
