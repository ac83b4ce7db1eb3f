using CollectionWorker.Campaign;

namespace CollectionWorker.Tests.Campaign;

public class CohortMatcherTests
{
    private readonly CohortMatcher _notice = new(CampaignOptions.NoticeCohorts);

    [Theory]
    [InlineData("广东理工职业学院", "2020级", "", true)]
    [InlineData("广东理工职业学院", "20级", "", true)]
    [InlineData("广东理工职业学院", "２０２０", "", true)]
    [InlineData("广东理工职业学院", "2021级", "三二分段", true)]
    [InlineData("广东理工职业学院", "2021级", "", false)]          // only the 3+2 track of 2021
    [InlineData("广东理工职业学院", "2022级", "", false)]
    [InlineData("国家开放大学南海实验学院", "2020秋", "", true)]
    [InlineData("国家开放大学南海实验学院", "2020年秋季", "", true)]
    [InlineData("国家开放大学南海实验学院", "2020春", "", false)]   // spring 2020 is not in the notice
    [InlineData("国家开放大学南海实验学院", "2021春", "", true)]
    [InlineData("南海成人学院", "2021级", "", true)]
    [InlineData("南海成人学院", "2020级", "", false)]
    [InlineData("别的学院", "2021级", "", false)]
    public void The_notice_cohorts_are_matched_as_a_person_reads_them(string school, string grade, string track, bool eligible)
    {
        Assert.Equal(eligible, _notice.Match(school, grade, track) is not null);
    }

    [Fact]
    public void Grade_parsing_gives_year_and_term()
    {
        Assert.Equal((2021, '春'), CohortMatcher.ParseGrade("2021春"));
        Assert.Equal((2020, (char?)null), CohortMatcher.ParseGrade("20级"));
        Assert.Null(CohortMatcher.ParseGrade("高年级"));
    }
}
