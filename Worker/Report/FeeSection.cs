using System.Text;
using CollectionWorker.Store;
using static CollectionWorker.Report.ReportPage;

namespace CollectionWorker.Report;

/// <summary>The fee as the report shows it: the campaign's totals, each class's, and the payments kept aside.</summary>
public sealed record ReportFees(PaymentTotals Totals, IReadOnlyList<(string ClassName, PaymentTotals Totals)> Classes, IReadOnlyList<PaymentEntry> KeptAside);

/// <summary>
/// The report's "缴费 Fee" section: expected (eligible × fee), received (kept, after refunds), missing
/// (what eligible students still owe), refunded; who paid per class; and every payment counted for
/// nobody, with why. Shown once a payment export has been imported.
/// </summary>
public static class FeeSection
{
    public static void Write(StringBuilder h, CampaignReport report)
    {
        if (report.Fees is not { } fees) return;
        var t = fees.Totals;
        h.Append("<section id=\"fees\">\n<h2>缴费 <span class=\"en\">Fee</span></h2>\n");
        h.Append("<p class=\"note\">每人 ").Append(Y(t.FeeYuan)).Append(" 元，按参加采集的学生计算；缴费不影响照片审核。 ")
            .Append(Y(t.FeeYuan)).Append(" yuan per eligible student; paying is no condition of the photo review.</p>\n");
        h.Append("<div class=\"cards\">\n");
        Card(h, "应收", "expected", $"{Y(t.ExpectedYuan)} 元", $"{t.Eligible} × {Y(t.FeeYuan)}");
        Card(h, "已收", "received", $"{Y(t.ReceivedYuan)} 元", $"{t.Paid} 人缴清 paid in full");
        Card(h, "未收", "missing", $"{Y(t.MissingYuan)} 元", $"{t.NotPaid} 人未缴清 not fully paid");
        Card(h, "已退款", "refunded", $"{Y(t.RefundedYuan)} 元", $"{t.Refunded} 人 students");
        h.Append("</div>\n");

        h.Append("<div class=\"scroll\"><table id=\"fee-table\">\n<thead><tr><th class=\"text\">班级 Class</th><th>应缴人数<br>Eligible</th><th>已缴清<br>Paid</th>")
            .Append("<th>未缴<br>Unpaid</th><th>其中未缴足<br>of which partial</th><th>其中已退款<br>of which refunded</th>")
            .Append("<th>已收 元<br>Received</th><th>未收 元<br>Missing</th></tr></thead>\n<tbody>\n");
        foreach (var (name, c) in fees.Classes.OrderByDescending(c => c.Totals.NotPaid).ThenBy(c => c.ClassName, StringComparer.Ordinal))
            h.Append("<tr data-name=\"").Append(E(name)).Append("\"><td class=\"text\">").Append(E(name)).Append("</td><td>").Append(c.Eligible)
                .Append("</td><td data-k=\"paid\">").Append(c.Paid).Append("</td><td data-k=\"unpaid\">").Append(c.NotPaid)
                .Append("</td><td>").Append(c.Partial).Append("</td><td>").Append(c.Refunded)
                .Append("</td><td>").Append(Y(c.ReceivedYuan)).Append("</td><td>").Append(Y(c.MissingYuan)).Append("</td></tr>\n");
        h.Append("</tbody></table></div>\n");

        h.Append("<h3>无法计入的缴费 <span class=\"en\">Payments kept aside</span></h3>\n");
        if (fees.KeptAside.Count == 0)
            h.Append("<p class=\"empty\">没有。 None.</p>\n");
        else
        {
            h.Append("<p class=\"note\">这些缴费已保存，但不属于任何参加采集的学生：请核对（名单更正后会自动计入）。 ")
                .Append("Stored, but counted for no eligible student: check them (they count as soon as the roster names the student).</p>\n");
            h.Append("<div class=\"scroll\"><table id=\"kept-aside-table\">\n<thead><tr><th class=\"text\">交易号 Transaction</th><th class=\"text\">学号 Number</th>")
                .Append("<th class=\"text\">身份证号 ID</th><th class=\"text\">姓名 Name</th><th>金额 元<br>Yuan</th><th class=\"text\">支付时间 Paid at</th><th class=\"text\">原因 Reason</th></tr></thead>\n<tbody>\n");
            foreach (var e in fees.KeptAside)
                h.Append("<tr><td class=\"text\">").Append(E(e.TransactionId)).Append("</td><td class=\"text\">").Append(E(e.StudentNumber))
                    .Append("</td><td class=\"text\">").Append(E(e.NationalId.Length > 0 ? Sheets.NationalId.Mask(e.NationalId) : ""))
                    .Append("</td><td class=\"text\">").Append(E(e.PayerName)).Append("</td><td>").Append(Y(e.NetYuan))
                    .Append("</td><td class=\"text\">").Append(E(Local(report, e.PaidAt))).Append("</td><td class=\"text\">")
                    .Append(E($"{e.KeptAsideReason.Zh} / {e.KeptAsideReason.En}")).Append("</td></tr>\n");
            h.Append("</tbody></table></div>\n");
        }
        h.Append("</section>\n");
    }

    private static void Card(StringBuilder h, string zh, string en, string value, string detail) =>
        h.Append("<div class=\"card\"><b>").Append(E(value)).Append("</b>").Append(E(zh)).Append(" <span class=\"en\">").Append(E(en))
            .Append("</span><br><small>").Append(E(detail)).Append("</small></div>\n");

    private static string Y(decimal yuan) => StudentPayment.Yuan(yuan);
}
