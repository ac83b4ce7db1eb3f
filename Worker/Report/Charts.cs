using System.Globalization;
using System.Text;

namespace CollectionWorker.Report;

/// <summary>One bar of the review-time histogram.</summary>
public sealed record ReviewBin(string Label, double From, double To, int DecidedInTime, int DecidedLate, int Waiting);

/// <summary>The report's two SVG charts, drawn inline: a 480-unit-wide view box that scales to a phone or a page.</summary>
public static class Charts
{
    private const int Width = 480;

    public static string UploadsPerDay(UploadTimeline t, TimeZoneInfo zone)
    {
        const int height = 236, left = 34, right = 46, top = 30, bottom = 20;
        var plotW = Width - left - right;
        var plotH = height - top - bottom;
        var n = Math.Max(1, t.Days.Count);
        var band = (double)plotW / n;
        var max = NiceCeiling(t.Days.Count == 0 ? 0 : t.Days.Max(d => d.Uploads));
        var s = Open(height, "每日上传 Uploads per day");
        // Axes and grid: uploads on the left, share of students on the right.
        Grid(s, left, top, plotW, plotH, max);
        for (var i = 0; i <= 4; i++)
        {
            var y = top + plotH - plotH * i / 4.0;
            s.Append("<text x=\"").Append(left + plotW + 4).Append("\" y=\"").Append(N(y + 4)).Append("\" fill=\"#5b636e\">").Append(i * 25).Append("%</text>");
        }
        var every = (int)Math.Ceiling(n / 8.0);
        var points = new List<string>();
        var done = new List<string>();
        for (var i = 0; i < t.Days.Count; i++)
        {
            var d = t.Days[i];
            var x = left + band * i;
            var h = max == 0 ? 0 : plotH * d.Uploads / max;
            s.Append("<rect x=\"").Append(N(x + band * 0.15)).Append("\" y=\"").Append(N(top + plotH - h)).Append("\" width=\"").Append(N(band * 0.7))
                .Append("\" height=\"").Append(N(h)).Append("\" fill=\"#9bbbd4\"><title>").Append(d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Append(": ").Append(d.Uploads).Append("</title></rect>");
            if (i % every == 0)
                s.Append("<text x=\"").Append(N(x + band / 2)).Append("\" y=\"").Append(top + plotH + 14).Append("\" text-anchor=\"middle\">")
                    .Append(d.Day.ToString("MM-dd", CultureInfo.InvariantCulture)).Append("</text>");
            if (d.Day > t.Today) continue; // the lines stop today
            var share = t.Eligible == 0 ? 0 : (double)d.StudentsUploadedByEndOfDay / t.Eligible;
            points.Add($"{N(x + band / 2)},{N(top + plotH - plotH * share)}");
            var approved = t.Eligible == 0 ? 0 : (double)d.ApprovedByEndOfDay / t.Eligible;
            done.Add($"{N(x + band / 2)},{N(top + plotH - plotH * approved)}");
        }
        if (points.Count > 0)
        {
            s.Append("<polyline points=\"").Append(string.Join(' ', points)).Append("\" fill=\"none\" stroke=\"#3b6e99\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>");
            s.Append("<polyline points=\"").Append(string.Join(' ', done)).Append("\" fill=\"none\" stroke=\"#2e8b57\" stroke-width=\"2.5\"/>");
            // A dot per day, so a campaign on its first day still shows where the lines start.
            foreach (var (list, colour) in new[] { (points, "#3b6e99"), (done, "#2e8b57") })
            foreach (var p in list)
                s.Append("<circle cx=\"").Append(p.Split(',')[0]).Append("\" cy=\"").Append(p.Split(',')[1]).Append("\" r=\"3\" fill=\"").Append(colour).Append("\"/>");
        }
        s.Append("<line x1=\"").Append(left).Append("\" x2=\"").Append(left + plotW).Append("\" y1=\"").Append(top + plotH).Append("\" y2=\"").Append(top + plotH)
            .Append("\" stroke=\"#1f2328\"/>");

        // Milestones: a dashed line at their moment, numbered as in the table beneath.
        var placed = new List<double>();
        for (var i = 0; i < t.Milestones.Count; i++)
        {
            var m = t.Milestones[i];
            var local = TimeZoneInfo.ConvertTime(m.At, zone);
            var day = t.Days.Select((d, index) => (d.Day, index)).FirstOrDefault(d => d.Day == DateOnly.FromDateTime(local.DateTime));
            if (day.Day != DateOnly.FromDateTime(local.DateTime)) continue; // not a day on the chart; the table lists it
            var x = left + band * (day.index + local.TimeOfDay.TotalDays);
            var now = m.NameEn == "now";
            var colour = now ? "#c0392b" : "#444c56";
            // Markers closer than their width are stacked downwards so each number stays readable.
            var cy = top - 14 + 16 * placed.Count(p => Math.Abs(p - x) < 15);
            placed.Add(x);
            s.Append("<line x1=\"").Append(N(x)).Append("\" x2=\"").Append(N(x)).Append("\" y1=\"").Append(top - 6).Append("\" y2=\"").Append(top + plotH)
                .Append("\" stroke=\"").Append(colour).Append("\" stroke-dasharray=\"4 3\"><title>").Append(ReportPage.E($"{m.NameZh} {m.NameEn}"))
                .Append("</title></line>");
            s.Append("<circle cx=\"").Append(N(x)).Append("\" cy=\"").Append(cy).Append("\" r=\"7\" fill=\"").Append(colour).Append("\"/>");
            s.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(cy + 4).Append("\" text-anchor=\"middle\" class=\"mk\">")
                .Append(i + 1).Append("</text>");
        }
        s.Append("</svg>");
        return s.ToString();
    }

    public static List<ReviewBin> ReviewBins(ReviewTimes r)
    {
        var sla = r.Sla.TotalHours;
        double[] edges = [0, sla / 8, sla / 4, sla / 2, sla * 3 / 4, sla, sla * 1.5, double.PositiveInfinity];
        var bins = new List<ReviewBin>();
        for (var i = 0; i + 1 < edges.Length; i++)
        {
            var (from, to) = (edges[i], edges[i + 1]);
            // Bins include their upper edge, so a decision exactly at the SLA counts as in time.
            var inBin = r.Items.Where(x => (x.Hours > from || (i == 0 && x.Hours >= from)) && x.Hours <= to).ToList();
            bins.Add(new ReviewBin(double.IsPositiveInfinity(to) ? $"> {N(from)} h" : $"{N(from)}–{N(to)} h", from, to,
                inBin.Count(x => !x.Waiting && x.Hours <= sla), inBin.Count(x => !x.Waiting && x.Hours > sla), inBin.Count(x => x.Waiting)));
        }
        return bins;
    }

    public static string ReviewHistogram(List<ReviewBin> bins, TimeSpan sla)
    {
        const int height = 206, left = 34, right = 10, top = 16, bottom = 20;
        var plotW = Width - left - right;
        var plotH = height - top - bottom;
        var band = (double)plotW / bins.Count;
        var max = NiceCeiling(bins.Count == 0 ? 0 : bins.Max(b => b.DecidedInTime + b.DecidedLate + b.Waiting));
        var s = Open(height, "审核用时 Review times");
        Grid(s, left, top, plotW, plotH, max);
        for (var i = 0; i < bins.Count; i++)
        {
            var b = bins[i];
            var x = left + band * i + band * 0.12;
            var y = (double)(top + plotH);
            foreach (var (count, colour, words) in new[] { (b.DecidedInTime, "#2e8b57", "按时 in time"), (b.DecidedLate, "#c0392b", "超时 late"), (b.Waiting, "#e9b949", "等待中 waiting") })
            {
                if (count == 0) continue;
                var h = plotH * count / max;
                y -= h;
                s.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(band * 0.76)).Append("\" height=\"").Append(N(h))
                    .Append("\" fill=\"").Append(colour).Append("\"><title>").Append(ReportPage.E($"{b.Label} {words}: {count}")).Append("</title></rect>");
            }
            s.Append("<text x=\"").Append(N(left + band * (i + 0.5))).Append("\" y=\"").Append(top + plotH + 14).Append("\" text-anchor=\"middle\">")
                .Append(ReportPage.E(b.Label.Replace(" h", ""))).Append("</text>");
        }
        // The SLA: the boundary after the last in-time bin.
        var slaIndex = bins.FindIndex(b => b.From >= sla.TotalHours);
        if (slaIndex > 0)
        {
            var x = left + band * slaIndex;
            s.Append("<line x1=\"").Append(N(x)).Append("\" x2=\"").Append(N(x)).Append("\" y1=\"").Append(top).Append("\" y2=\"").Append(top + plotH)
                .Append("\" stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/><text x=\"").Append(N(x - 4)).Append("\" y=\"").Append(top + 10)
                .Append("\" text-anchor=\"end\" fill=\"#c0392b\">").Append(N(sla.TotalHours)).Append(" h</text>");
        }
        s.Append("<line x1=\"").Append(left).Append("\" x2=\"").Append(left + plotW).Append("\" y1=\"").Append(top + plotH).Append("\" y2=\"").Append(top + plotH)
            .Append("\" stroke=\"#1f2328\"/>");
        s.Append("</svg>");
        return s.ToString();
    }

    private static StringBuilder Open(int height, string label) =>
        new StringBuilder().Append("<svg viewBox=\"0 0 ").Append(Width).Append(' ').Append(height).Append("\" role=\"img\" aria-label=\"")
            .Append(ReportPage.E(label)).Append("\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">");

    /// <summary>Four horizontal grid lines with the left axis's counts.</summary>
    private static void Grid(StringBuilder s, int left, int top, int plotW, int plotH, int max)
    {
        for (var i = 0; i <= 4; i++)
        {
            var y = top + plotH - plotH * i / 4.0;
            s.Append("<line x1=\"").Append(left).Append("\" x2=\"").Append(left + plotW).Append("\" y1=\"").Append(N(y)).Append("\" y2=\"").Append(N(y))
                .Append("\" stroke=\"#e3e6ea\"/><text x=\"").Append(left - 4).Append("\" y=\"").Append(N(y + 4)).Append("\" text-anchor=\"end\">")
                .Append(N(max * i / 4.0)).Append("</text>");
        }
    }

    /// <summary>A round axis maximum at or above the value (at least 4, so four grid steps stay whole).</summary>
    private static int NiceCeiling(int value)
    {
        if (value <= 4) return 4;
        var step = (int)Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var m in new[] { 1, 2, 4, 5, 8, 10 })
            if (m * step >= value && m * step % 4 == 0) return m * step;
        return (int)Math.Ceiling(value / 4.0) * 4;
    }

    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
