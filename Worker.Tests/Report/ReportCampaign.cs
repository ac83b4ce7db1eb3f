using CollectionWorker.Review;
using CollectionWorker.Tests.Review;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Report;

/// <summary>
/// A generated campaign for the report: five classes (one named with HTML's special characters), a
/// student outside the cohorts, and students in every status — approved, awaiting review (one for
/// 50 h, past the SLA), decided by the studio through a real review sheet (one after 60 h), rejected
/// with the deadline running, expired, missing.
/// </summary>
public static class ReportCampaign
{
    public const string TrickyClass = "20级<b>会计</b>&\"1\"班";
    public static readonly string[] Classes = ["20级计算机1班", "20级计算机2班", "20级机电1班", "20级电商1班", TrickyClass];
    public const int NotEligibleStudent = 30;

    public static async Task<ReviewWorld> CreateAsync()
    {
        var world = await ReviewWorld.CreateAsync(students: 30, edit: s =>
        {
            var i = int.Parse(s.StudentNumber[4..]);
            var edited = s with { Class = Classes[i % Classes.Length] };
            return i == NotEligibleStudent ? edited with { School = "别的学校" } : edited;
        });
        foreach (var i in new[] { 1, 2, 3, 6, 7, 11, 16, 21 }) await world.SubmitAsync(i, "approved", hoursAgo: 20);
        await world.SubmitAsync(4, hoursAgo: 3);
        await world.SubmitAsync(8, hoursAgo: 30);
        await world.SubmitAsync(5, hoursAgo: 10);
        await world.SubmitAsync(9, hoursAgo: 60);
        await world.SubmitAsync(10, hoursAgo: 20);
        var sheet = await world.ExportAsync();
        var filled = world.Fill(sheet, "filled.xlsx", "张师傅",
            (ReviewSheetLayout.PendingSheet, 5, "通过", "", ""),
            (ReviewSheetLayout.PendingSheet, 9, "不通过", "佩戴眼镜", ""),
            (ReviewSheetLayout.PendingSheet, 10, "不通过", "佩戴眼镜，背景不符合要求", "请重拍"));
        var import = await world.Host.RunAsync("import-review", filled);
        Assert.True(import.Exit == 0, import.Out + import.Err);
        // Uploaded after the sheet went out: still waiting, one of them past the 48 h.
        await world.SubmitAsync(12, hoursAgo: 50);
        await world.SubmitAsync(13, "rejected", hoursAgo: 3);
        await world.SubmitAsync(14, "rejected", hoursAgo: 60);
        return world;
    }
}
