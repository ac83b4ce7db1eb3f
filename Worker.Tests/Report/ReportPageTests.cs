using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CollectionWorker.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CollectionWorker.Tests.Report;

/// <summary>The HTML report as a browser shows it: real headless Chromium, a generated campaign, numbers checked against <c>status --json</c>.</summary>
public class ReportPageTests
{
    [Fact]
    public async Task Every_class_appears_in_chromium_with_the_same_counts_as_status_json_and_nothing_is_loaded_from_the_network()
    {
        using var world = await ReportCampaign.CreateAsync();
        var outDir = world.Host.File("report-out");
        var report = await world.Host.RunAsync("report", "--out", outDir);
        Assert.True(report.Exit == 0, report.Err);
        var page = report.Out.Trim();
        Assert.Equal(outDir, Path.GetDirectoryName(page));
        Assert.EndsWith(".html", page);

        // Self-contained: no script, no stylesheet link, nothing addressed over the network.
        var html = await File.ReadAllTextAsync(page);
        Assert.DoesNotMatch(new Regex(@"<script|<link|<img|<iframe|@import", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"(src|href)\s*=\s*[""']?\s*(https?:)?//|url\(\s*[""']?\s*(https?:)?//", RegexOptions.IgnoreCase), html);

        using var trap = new NetworkTrap();
        var dom = await Chromium.RunAsync(page, trap, "--dump-dom");
        Assert.Contains("</html>", dom);

        var status = JsonDocument.Parse((await world.Host.RunAsync("status", "--json")).Out).RootElement.GetProperty("classes");
        var rows = TableRows(dom, "class-table");
        Assert.Equal(status.GetArrayLength(), rows.Count);
        Assert.Equal(ReportCampaign.Classes.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var c in status.EnumerateArray())
        {
            var row = rows[c.GetProperty("class").GetString()!];
            foreach (var key in new[] { "total", "approved", "awaiting_inspection", "awaiting_review", "rejected", "missing", "expired" })
                Assert.True(c.GetProperty(key).GetInt32().ToString(CultureInfo.InvariantCulture) == row[key],
                    $"{c.GetProperty("class")}: {key} is {c.GetProperty(key)} in status --json, {row[key]} on the page");
            Assert.Equal(c.GetProperty("completion_percent").GetDouble().ToString("0.0", CultureInfo.InvariantCulture), row["completion_percent"]);
        }
        // The campaign has every status, and the student outside the cohorts is in no count.
        Assert.All(new[] { "approved", "awaiting_review", "rejected", "missing", "expired" },
            k => Assert.True(rows.Values.Sum(r => int.Parse(r[k])) > 0, $"no {k} in the generated campaign"));
        Assert.Equal(ReportCampaign.NotEligibleStudent - 1, rows.Values.Sum(r => int.Parse(r["total"])));

        // Worst first: the share approved never rises down the table.
        var shares = Regex.Matches(Table(dom, "class-table").Split("<tfoot>")[0], "data-k=\"completion_percent\">([0-9.]+)<").Select(m => double.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(shares.Order(), shares);

        // Names are user data: the class with markup in its name is text on the page, not markup.
        Assert.DoesNotContain("<b>会计</b>", dom);
        Assert.Contains(WebUtility.HtmlEncode("<b>会计</b>").Replace("&#39;", "'"), dom);

        // The other charts' numbers: the studio's reasons, the review late by 60 h and the one waiting 50 h.
        var reasons = Table(dom, "studio-reasons-table");
        Assert.Matches(@"佩戴眼镜</td><td class=""text"">glasses</td><td>2</td>", reasons);
        Assert.Matches(@"背景不符合要求</td><td class=""text"">background</td><td>1</td>", reasons);
        Assert.DoesNotContain("请重拍", reasons);
        var overdue = Table(dom, "overdue-table");
        Assert.Contains(ReviewWorldNumber(9), overdue);
        Assert.Contains(ReviewWorldNumber(12), overdue);
        Assert.DoesNotContain(ReviewWorldNumber(8), overdue);
        Assert.Contains("HEAD_TOP", Table(dom, "findings-table"));
        // 16 uploads by 16 students, each on some day of the table, whatever the time of day the test runs at.
        var days = Regex.Matches(Table(dom, "uploads-table"), @"<tr><td class=""text nowrap"">[^<]*</td><td>(\d+)</td><td>(\d+|–)</td>")
            .Select(m => (Uploads: int.Parse(m.Groups[1].Value), SoFar: m.Groups[2].Value)).ToList();
        Assert.Equal(16, days.Sum(d => d.Uploads));
        Assert.Equal("16", days.Last(d => d.SoFar != "–").SoFar);

        // Phone and desktop widths render (non-blank, the approved colour drawn), still with nothing from the network.
        foreach (var (width, height) in new[] { (390, 844), (1280, 900) })
        {
            var png = world.Host.File($"report-{width}.png");
            await Chromium.RunAsync(page, trap, $"--screenshot={png}", $"--window-size={width},{height}");
            using var image = Image.Load<Rgb24>(png);
            Assert.Equal(width, image.Width);
            Assert.True(Coverage(image, p => p.R < 235 || p.G < 235 || p.B < 235) > 0.05, $"the {width} px screenshot is nearly blank");
            Assert.True(Coverage(image, p => Near(p, 0x2e, 0x8b, 0x57)) > 0.0005, $"no approved-green bar in the {width} px screenshot");
        }
        Assert.True(trap.PageRequests.Count == 0, "the page tried the network: " + string.Join("; ", trap.PageRequests));
    }

    [Fact]
    public async Task The_network_trap_catches_a_page_that_loads_from_the_network()
    {
        // Proves the check above can fail: the same browser flags on a page with one remote image.
        using var dir = new TempDirectory();
        var page = dir.File("remote.html");
        await File.WriteAllTextAsync(page, "<!DOCTYPE html><html><body><img src=\"http://report-test.invalid/pixel.png\"></body></html>");
        using var trap = new NetworkTrap();
        await Chromium.RunAsync(page, trap, "--dump-dom");
        Assert.Contains(trap.PageRequests, r => r.Contains("report-test.invalid", StringComparison.Ordinal));
    }

    /// <summary>Rows of a report table from the browser's DOM: row name → data-k → cell text.</summary>
    public static Dictionary<string, Dictionary<string, string>> TableRows(string dom, string id) =>
        Regex.Matches(Table(dom, id), "<tr data-name=\"[^\"]*\">(.*?)</tr>", RegexOptions.Singleline)
            .Select(m => Regex.Matches(m.Groups[1].Value, "<td[^>]*data-k=\"(\\w+)\"[^>]*>(.*?)</td>", RegexOptions.Singleline)
                .ToDictionary(c => c.Groups[1].Value, c => WebUtility.HtmlDecode(c.Groups[2].Value)))
            .ToDictionary(r => r["name"]);

    public static string Table(string dom, string id)
    {
        var m = Regex.Match(dom, $"<table id=\"{id}\">(.*?)</table>", RegexOptions.Singleline);
        Assert.True(m.Success, $"no table #{id} in the page");
        return m.Groups[1].Value;
    }

    private static string ReviewWorldNumber(int i) => CollectionWorker.Tests.Review.ReviewWorld.Number(i);

    private static double Coverage(Image<Rgb24> image, Func<Rgb24, bool> test)
    {
        long hits = 0;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
                foreach (var p in rows.GetRowSpan(y))
                    if (test(p)) hits++;
        });
        return (double)hits / (image.Width * image.Height);
    }

    private static bool Near(Rgb24 p, int r, int g, int b) => Math.Abs(p.R - r) < 12 && Math.Abs(p.G - g) < 12 && Math.Abs(p.B - b) < 12;
}
