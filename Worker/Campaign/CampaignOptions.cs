namespace CollectionWorker.Campaign;

/// <summary>The campaign's dates, fee and cohorts (config section <c>Campaign</c>). Defaults are the 2022 notice.</summary>
public sealed class CampaignOptions
{
    public const string Section = "Campaign";

    public string TimeZone { get; set; } = "Asia/Shanghai";
    public DateTimeOffset PreparationStart { get; set; } = DateTimeOffset.Parse("2022-04-25T00:00:00+08:00");
    public DateTimeOffset PreparationEnd { get; set; } = DateTimeOffset.Parse("2022-05-05T00:00:00+08:00");
    public DateTimeOffset UploadStart { get; set; } = DateTimeOffset.Parse("2022-05-05T00:00:00+08:00");
    /// <summary>Exclusive: the notice's "until 11 May" means up to 2022-05-12T00:00+08:00.</summary>
    public DateTimeOffset UploadEnd { get; set; } = DateTimeOffset.Parse("2022-05-12T00:00:00+08:00");
    public TimeSpan ReviewSla { get; set; } = TimeSpan.FromHours(48);
    public TimeSpan ResubmissionPeriod { get; set; } = TimeSpan.FromHours(48);
    public decimal FeeYuan { get; set; } = 15m;

    /// <summary>
    /// Null means "not configured": the notice's five cohorts apply. (A list default would be
    /// appended to, not replaced, by the configuration binder.)
    /// </summary>
    public List<CohortOptions>? EligibleCohorts { get; set; }

    public IReadOnlyList<CohortOptions> Cohorts => EligibleCohorts ?? NoticeCohorts;

    public static IReadOnlyList<CohortOptions> NoticeCohorts { get; } =
    [
        new() { School = "国家开放大学南海实验学院", Grade = "2020秋" },
        new() { School = "国家开放大学南海实验学院", Grade = "2021春" },
        new() { School = "广东理工职业学院", Grade = "2020级" },
        new() { School = "广东理工职业学院", Grade = "2021级", Track = "三二分段" },
        new() { School = "南海成人学院", Grade = "2021级" },
    ];
}

/// <summary>One eligible cohort: school, grade and (optionally) track; an empty Track matches any.</summary>
public sealed class CohortOptions
{
    public string School { get; set; } = "";
    public string Grade { get; set; } = "";
    public string Track { get; set; } = "";

    public override string ToString() =>
        string.IsNullOrWhiteSpace(Track) ? $"{School} {Grade}" : $"{School} {Grade} {Track}";
}
