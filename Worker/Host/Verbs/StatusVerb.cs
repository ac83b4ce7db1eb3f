using System.Text.Json;
using System.Text.Json.Serialization;
using CollectionWorker.Export;
using CollectionWorker.Intake;
using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectionWorker.Host.Verbs;

/// <summary>status [--class NAME] [--json]: progress per class, from the status machine.</summary>
public sealed class StatusVerb : IVerb
{
    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var className = commandLine.Get("--class");
        var students = await host.Services.GetRequiredService<ProgressReport>().StudentsAsync(new StudentFilter(ClassName: className), ct);
        var classes = ProgressReport.ByClass(students);
        var payments = await host.Services.GetRequiredService<PaymentStanding>().ReadAsync(ct);
        var fee = PaymentsByClass(students, payments);
        var cohorts = className is null ? await host.Services.GetRequiredService<ExportProgress>().ByCohortAsync(students, ct) : [];
        if (className is not null && classes.Count == 0)
            throw new InputRejectedException($"--class {className}: no eligible students in a class of that name.");
        var intake = await host.Services.GetRequiredService<IntakeReport>().CountAsync(ct);

        if (commandLine.Json)
        {
            var json = JsonSerializer.Serialize(new
            {
                classes = classes.Select(c => new
                {
                    @class = c.ClassName, teacher = c.Teacher, total = c.Total, approved = c.Approved,
                    awaiting_inspection = c.AwaitingInspection, awaiting_review = c.AwaitingReview, rejected = c.Rejected,
                    missing = c.Missing, expired = c.Expired, not_in_latest_roster = c.NotInLatestRoster,
                    completion_percent = c.CompletionPercent,
                    // Once a payment export is imported: eligible students fully paid, and the rest (partial and refunded among them).
                    paid = fee?[c.ClassName].Paid, unpaid = fee?[c.ClassName].NotPaid,
                    partially_paid = fee?[c.ClassName].Partial, refunded = fee?[c.ClassName].Refunded,
                }),
                payments = fee is null ? null : PaymentsJson(payments.Totals(Eligible(students))),
                cohorts = cohorts.Select(c => new
                {
                    cohort = c.Cohort, eligible = c.Eligible, approved = c.Approved, exported = c.Exported, still_missing = c.StillMissing,
                    // The same number under the name that says what it is (still_missing is kept for existing scripts).
                    not_yet_exported = c.StillMissing,
                }),
                intake = new
                {
                    received_today = intake.ReceivedToday, unmatched = intake.Unmatched, refused = intake.Refused,
                    awaiting_inspection = intake.AwaitingInspection, held_until_window = intake.Held,
                },
            }, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await stdout.WriteLineAsync(json);
            return Cli.Ok;
        }

        var table = new TextTable("班级 Class", "班主任 Teacher", "Total", "Approved", "Inspecting", "Review", "Rejected", "Missing", "Expired", "Done %");
        foreach (var c in classes)
            table.Add(c.ClassName, c.Teacher, c.Total, c.Approved, c.AwaitingInspection, c.AwaitingReview, c.Rejected, c.Missing, c.Expired,
                c.CompletionPercent.ToString("0.0"));
        if (classes.Count > 1)
            table.Add("(all)", "", classes.Sum(c => c.Total), classes.Sum(c => c.Approved), classes.Sum(c => c.AwaitingInspection),
                classes.Sum(c => c.AwaitingReview), classes.Sum(c => c.Rejected), classes.Sum(c => c.Missing), classes.Sum(c => c.Expired),
                (classes.Sum(c => c.Total) == 0 ? 0 : 100.0 * classes.Sum(c => c.Approved) / classes.Sum(c => c.Total)).ToString("0.0"));
        await table.WriteAsync(stdout);
        if (classes.Count == 0) await stdout.WriteLineAsync("No eligible students yet: import a roster with 'import-roster FILE.xlsx'.");
        if (cohorts.Count > 0)
        {
            // "Not yet exported": eligible students whose photo has not gone into an export yet (approved or not).
            var export = new TextTable("采集对象 Cohort", "应采 Eligible", "已通过 Approved", "已导出 Exported", "未导出 Not yet exported");
            foreach (var c in cohorts) export.Add(c.Cohort, c.Eligible, c.Approved, c.Exported, c.StillMissing);
            await stdout.WriteLineAsync();
            await export.WriteAsync(stdout);
        }
        if (fee is not null)
        {
            var fees = new TextTable("班级 Class", "应缴 Eligible", "已缴 Paid", "未缴 Unpaid", "其中未缴足 of which partial", "其中已退款 of which refunded");
            foreach (var c in classes)
                fees.Add(c.ClassName, c.Total, fee[c.ClassName].Paid, fee[c.ClassName].NotPaid, fee[c.ClassName].Partial, fee[c.ClassName].Refunded);
            var t = payments.Totals(Eligible(students));
            await stdout.WriteLineAsync();
            await stdout.WriteAsync(fees.ToString());
            await stdout.WriteLineAsync(
                $"缴费 Fee {StudentPayment.Yuan(t.FeeYuan)} 元: 应收 expected {StudentPayment.Yuan(t.ExpectedYuan)}, 已收 received {StudentPayment.Yuan(t.ReceivedYuan)}, " +
                $"未收 missing {StudentPayment.Yuan(t.MissingYuan)}, 已退 refunded {StudentPayment.Yuan(t.RefundedYuan)} 元" +
                (t.KeptAside > 0 ? $"; {t.KeptAside} 笔无法计入 payment(s) kept aside ({StudentPayment.Yuan(t.KeptAsideYuan)} 元): see 'import-payments' or the report" : "."));
        }
        var flagged = classes.Sum(c => c.NotInLatestRoster);
        if (flagged > 0)
            await stdout.WriteLineAsync($"{flagged} student(s) are missing from the latest roster import (kept and counted; check them).");
        await stdout.WriteLineAsync(
            $"Intake 上传: received today {intake.ReceivedToday}, unmatched {intake.Unmatched}, refused {intake.Refused}, " +
            $"waiting for inspection {intake.AwaitingInspection}" + (intake.Held > 0 ? $" (of which {intake.Held} held until the window opens)" : ""));
        if (intake.Unmatched + intake.Refused > 0)
            await stdout.WriteLineAsync("Files set aside are in the data directory's unmatched/ and refused/ folders, each with a .reason.txt.");
        return Cli.Ok;
    }

    private static List<StudentProgress> Eligible(IEnumerable<StudentProgress> students) =>
        students.Where(s => s.Status != StudentStatus.NotEligible).ToList();

    /// <summary>Per class, the fee's totals over its eligible students; null before any payment export is imported.</summary>
    private static Dictionary<string, PaymentTotals>? PaymentsByClass(List<StudentProgress> students, PaymentBook payments) =>
        payments.Imported
            ? Eligible(students).GroupBy(s => s.ClassName).ToDictionary(g => g.Key, g => payments.Totals(g.ToList()), StringComparer.Ordinal)
            : null;

    private static object PaymentsJson(PaymentTotals t) => new
    {
        fee_yuan = t.FeeYuan, eligible = t.Eligible, paid = t.Paid, unpaid = t.NotPaid, partially_paid = t.Partial, refunded = t.Refunded,
        expected_yuan = t.ExpectedYuan, received_yuan = t.ReceivedYuan, missing_yuan = t.MissingYuan, refunded_yuan = t.RefundedYuan,
        kept_aside = t.KeptAside, kept_aside_yuan = t.KeptAsideYuan,
    };
}
