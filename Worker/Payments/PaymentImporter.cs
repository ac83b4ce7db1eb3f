using System.Security.Cryptography;
using CollectionWorker.Store;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Payments;

/// <summary>
/// Imports a payment export all or nothing, idempotent by transaction id: read, check every row, check
/// the rows against what is stored, then write everything in one transaction. The same export twice
/// changes nothing; a later export adds its new transactions; a refund marks its transaction refunded
/// (and stays so when an older export is imported again). A payment for a student not in the roster, or
/// outside the cohorts, is stored and listed as kept aside. Any problem: nothing stored, an error workbook.
/// </summary>
public sealed class PaymentImporter(
    PaymentFileReader reader,
    PaymentValidator validator,
    PaymentRecords records,
    PaymentStanding standing,
    TimeProvider time,
    ILogger<PaymentImporter> logger)
{
    public async Task<PaymentImportResult> ImportAsync(string path, string actor, CancellationToken ct = default)
    {
        var sheet = reader.Read(path);
        if (sheet.Problems.Count > 0) return Fail(path, sheet);
        // The rows that passed their own checks are also checked against the store, so every problem is told at once.
        var rows = validator.Validate(sheet);

        var stored = await records.StoredAsync(ct);
        var students = await records.StudentsAsync(ct);
        var changes = Plan(rows, stored, students, sheet, out var unchanged, out var ignored);
        if (sheet.Problems.Count > 0) return Fail(path, sheet);

        var hash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, ct)));
        var write = new PaymentChanges(Path.GetFileName(path), hash, sheet.Encoding, actor, sheet.Rows.Count, unchanged, ignored, changes.Inserts, changes.Refunds);
        await records.WriteAsync(write, time.GetUtcNow(), ct);

        // What the admin should look at, from the whole store as it is now.
        var book = await standing.ReadAsync(ct);
        var byId = students.ToDictionary(s => s.Id);
        var keptAside = book.KeptAside.Select(e =>
            $"{e.TransactionId}: {Who(e.StudentNumber, e.NationalId, e.PayerName)} {StudentPayment.Yuan(e.NetYuan)} 元 — {e.KeptAsideReason.Zh} / {e.KeptAsideReason.En}").ToList();
        var partial = book.Entries.Where(e => !e.KeptAside).Select(e => e.StudentId!.Value).Distinct()
            .Select(id => (Student: byId.GetValueOrDefault(id), Payment: book.For(id)))
            .Where(x => x.Student is not null && x.Payment.State == PaymentState.Partial)
            .Select(x => $"{x.Student!.StudentNumber} {x.Student.Name}: {x.Payment.Bilingual}").ToList();
        var result = new PaymentImportResult(true, [], null, sheet.Encoding, sheet.Rows.Count, changes.Inserts.Count,
            changes.Refunds.Count + changes.Inserts.Count(i => i.RefundFen is not null), unchanged, ignored, keptAside, partial);
        logger.LogInformation("Payments {File} imported ({ReadAs}): {Added} added, {Refunded} refunded, {Unchanged} unchanged, {Ignored} ignored, {KeptAside} kept aside",
            Path.GetFileName(path), result.ReadAs, result.Added, result.Refunded, result.Unchanged, result.Ignored, result.KeptAside.Count);
        return result;
    }

    /// <summary>Refuses a file without reading it, with the same error workbook as any failed import.</summary>
    public PaymentImportResult Refuse(string path, string messageZh, string messageEn)
    {
        var sheet = new PaymentSheet();
        sheet.Problems.Add(new PaymentProblem(null, null, messageZh, messageEn));
        return Fail(path, sheet);
    }

    private static string Who(string number, string nationalId, string name) =>
        string.Join(" ", new[] { number, nationalId.Length > 0 ? Sheets.NationalId.Mask(nationalId) : "", name }.Where(x => x.Length > 0));

    private sealed record Planned(
        List<(PaymentRecord Record, long? RefundFen, DateTimeOffset? RefundedAt)> Inserts,
        List<(StoredPayment Stored, long RefundFen, DateTimeOffset RefundedAt)> Refunds);

    /// <summary>Payments first, then refunds (a refund may come before its payment in the file).</summary>
    private static Planned Plan(List<PaymentRecord> rows, Dictionary<string, StoredPayment> stored, List<PayingStudent> students,
        PaymentSheet sheet, out int unchanged, out int ignored)
    {
        var plan = new Planned([], []);
        unchanged = 0;
        ignored = 0;
        // Indexed, not ToDictionary: a store is never refused here for two keys that differ only in case.
        var byNumber = new Dictionary<string, PayingStudent>(StringComparer.OrdinalIgnoreCase);
        var byNationalId = new Dictionary<string, PayingStudent>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in students)
        {
            byNumber[s.StudentNumber] = s;
            byNationalId[s.NationalId] = s;
        }
        var inserted = new Dictionary<string, int>(StringComparer.Ordinal); // transaction id → index in plan.Inserts
        var paidInFile = new HashSet<string>(StringComparer.Ordinal);
        void Problem(PaymentRecord r, PaymentField f, string zh, string en) => sheet.Problems.Add(new PaymentProblem(r.SourceRow, sheet.ColumnLabel(f), zh, en));

        foreach (var r in rows.Where(r => r.NamesStudent && r.StudentNumber.Length > 0 && r.NationalId.Length > 0))
            if (byNumber.GetValueOrDefault(r.StudentNumber) is { } a && byNationalId.GetValueOrDefault(r.NationalId) is { } b && a.Id != b.Id)
                Problem(r, PaymentField.NationalId, $"学号 {r.StudentNumber} 是 {a.Name}，而身份证号属于 {b.Name}（学号 {b.StudentNumber}）：请核对是谁缴的费",
                    $"student number {r.StudentNumber} is {a.Name}, but the ID number belongs to {b.Name} ({b.StudentNumber}): check whose payment it is");

        foreach (var r in rows)
        {
            if (r.Kind == PaymentKind.NotPaid) { ignored++; continue; }
            if (r.Kind != PaymentKind.Payment) continue;
            if (!paidInFile.Add(r.TransactionId)) ignored++; // the same row twice (checked equal by the validator)
            else if (stored.TryGetValue(r.TransactionId, out var s))
            {
                if (Same(s, r)) unchanged++;
                else Problem(r, PaymentField.TransactionId,
                    $"交易号 {r.TransactionId} 已导入过，但学生或金额不同（已导入：学号 {s.StudentNumber}，{s.AmountFen / 100m:0.00} 元）：同一笔交易不能改变",
                    $"transaction {r.TransactionId} was imported before with a different student or amount (stored: {s.StudentNumber}, {s.AmountFen / 100m:0.00} yuan): a transaction cannot change");
            }
            else
            {
                inserted[r.TransactionId] = plan.Inserts.Count;
                plan.Inserts.Add((r, null, null));
            }
        }

        var refunded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rows.Where(r => r.Kind == PaymentKind.Refund))
        {
            if (!refunded.Add(r.TransactionId)) { ignored++; continue; }
            if (stored.TryGetValue(r.TransactionId, out var s))
            {
                if (s.Refunded) unchanged++;
                else if (r.AmountFen > s.AmountFen) TooMuch(r, s.AmountFen);
                else plan.Refunds.Add((s, r.AmountFen, r.At));
            }
            else if (inserted.TryGetValue(r.TransactionId, out var i))
            {
                var payment = plan.Inserts[i].Record;
                if (r.AmountFen > payment.AmountFen) TooMuch(r, payment.AmountFen);
                else plan.Inserts[i] = (payment, r.AmountFen, r.At);
            }
            else if (!r.NamesStudent)
                Problem(r, PaymentField.TransactionId,
                    $"退款的交易 {r.TransactionId} 既没有导入过，也不在本文件中，且本行没有学号或身份证号：无法知道是谁的退款",
                    $"the refunded transaction {r.TransactionId} was never imported and is not in this file, and this row names no student: whose refund is it?");
            else
            {
                // The platform changed the order's own row to "refunded": it was paid, and refunded, in full.
                inserted[r.TransactionId] = plan.Inserts.Count;
                plan.Inserts.Add((r with { Kind = PaymentKind.Payment }, r.AmountFen, r.At));
            }
        }
        return plan;

        void TooMuch(PaymentRecord r, long paidFen) => Problem(r, PaymentField.Amount,
            $"退款 {r.AmountFen / 100m:0.00} 元多于该交易支付的 {paidFen / 100m:0.00} 元", $"the refund of {r.AmountFen / 100m:0.00} yuan is more than the {paidFen / 100m:0.00} yuan paid");
    }

    private static bool Same(StoredPayment s, PaymentRecord r) =>
        string.Equals(s.StudentNumber, r.StudentNumber, StringComparison.OrdinalIgnoreCase)
        && string.Equals(s.NationalId, r.NationalId, StringComparison.OrdinalIgnoreCase) && s.AmountFen == r.AmountFen;

    private PaymentImportResult Fail(string path, PaymentSheet sheet)
    {
        var problems = sheet.Problems.OrderBy(p => p.Row ?? 0).ToList();
        string? errorWorkbook = PaymentErrorWorkbook.PathFor(path);
        try
        {
            PaymentErrorWorkbook.Write(errorWorkbook, sheet, problems);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not write the payments error workbook {Path}", errorWorkbook);
            errorWorkbook = null;
        }
        logger.LogWarning("Payments {File} rejected with {Count} problem(s); nothing imported", Path.GetFileName(path), problems.Count);
        return PaymentImportResult.Failed(problems, errorWorkbook, sheet.Encoding);
    }
}
