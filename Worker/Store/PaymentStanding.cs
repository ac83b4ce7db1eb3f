using CollectionWorker.Campaign;
using Dapper;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Store;

/// <summary>Where a student stands with the fee: the sum of their payments not refunded against <c>Campaign:FeeYuan</c>.</summary>
public enum PaymentState { Unpaid, Partial, Paid, Refunded }

/// <summary>One student's fee: what they paid and kept paid (net), and what was refunded.</summary>
public sealed record StudentPayment(PaymentState State, decimal NetYuan, decimal RefundedYuan, decimal FeeYuan)
{
    public decimal OwedYuan => Math.Max(0, FeeYuan - NetYuan);

    /// <summary>Chinese first, English beside: "未缴足：已缴 10 元，差 5 元 / partial: 10 of 15 yuan paid".</summary>
    public string Bilingual => State switch
    {
        PaymentState.Paid => "已缴费 paid",
        PaymentState.Partial => $"未缴足：已缴 {Yuan(NetYuan)} 元，差 {Yuan(OwedYuan)} 元 / partial: {Yuan(NetYuan)} of {Yuan(FeeYuan)} yuan paid",
        PaymentState.Refunded => $"已退款 {Yuan(RefundedYuan)} 元 / refunded",
        _ => "未缴费 unpaid",
    };

    public static string Yuan(decimal yuan) => yuan == decimal.Truncate(yuan) ? yuan.ToString("0") : yuan.ToString("0.00");
}

/// <summary>One imported transaction, with the student it names (null: nobody in the roster) as of now.</summary>
public sealed record PaymentEntry(
    string TransactionId, string StudentNumber, string NationalId, string PayerName, decimal AmountYuan, DateTimeOffset PaidAt,
    DateTimeOffset? RefundedAt, decimal RefundYuan, long? StudentId, bool StudentEligible)
{
    public decimal NetYuan => AmountYuan - RefundYuan;

    /// <summary>Counted for nobody: it names no student in the roster, or one outside the campaign's cohorts.</summary>
    public bool KeptAside => StudentId is null || !StudentEligible;

    public (string Zh, string En) KeptAsideReason => StudentId is null
        ? ("学号/身份证号不在名单中", "the student number / ID number is in no roster")
        : ("该学生不在本次采集对象内（不参加采集）", "the student is outside the campaign's cohorts (not eligible)");
}

/// <summary>The fee across the campaign's eligible students, as the admin report shows it.</summary>
public sealed record PaymentTotals(
    int Eligible, decimal FeeYuan, decimal ExpectedYuan, decimal ReceivedYuan, decimal MissingYuan, decimal RefundedYuan,
    int Paid, int Partial, int Unpaid, int Refunded, int KeptAside, decimal KeptAsideYuan)
{
    /// <summary>Everyone not fully paid: unpaid, partial and refunded.</summary>
    public int NotPaid => Partial + Unpaid + Refunded;
}

/// <summary>Every imported payment, matched to today's roster; what every stage asks about the fee.</summary>
public sealed class PaymentBook(bool imported, decimal feeYuan, IReadOnlyList<PaymentEntry> entries)
{
    private readonly Dictionary<long, StudentPayment> _byStudent = entries.Where(e => !e.KeptAside)
        .GroupBy(e => e.StudentId!.Value)
        .ToDictionary(g => g.Key, g => Standing(g.ToList(), feeYuan));

    /// <summary>False until the first payment export is imported: before that nobody is shown as unpaid.</summary>
    public bool Imported { get; } = imported;
    public decimal FeeYuan { get; } = feeYuan;
    public IReadOnlyList<PaymentEntry> Entries { get; } = entries;
    public IEnumerable<PaymentEntry> KeptAside => Entries.Where(e => e.KeptAside);

    public StudentPayment For(long studentId) =>
        _byStudent.GetValueOrDefault(studentId) ?? new StudentPayment(PaymentState.Unpaid, 0, 0, FeeYuan);

    public bool IsPaid(long studentId) => For(studentId).State == PaymentState.Paid;

    /// <summary>Totals over the eligible students given (the caller's status-machine list).</summary>
    public PaymentTotals Totals(IReadOnlyCollection<StudentProgress> eligible)
    {
        var each = eligible.Select(s => For(s.Id)).ToList();
        var kept = KeptAside.ToList();
        return new PaymentTotals(eligible.Count, FeeYuan, FeeYuan * eligible.Count, each.Sum(p => p.NetYuan), each.Sum(p => p.OwedYuan),
            each.Sum(p => p.RefundedYuan), each.Count(p => p.State == PaymentState.Paid), each.Count(p => p.State == PaymentState.Partial),
            each.Count(p => p.State == PaymentState.Unpaid), each.Count(p => p.State == PaymentState.Refunded), kept.Count, kept.Sum(e => e.NetYuan));
    }

    private static StudentPayment Standing(List<PaymentEntry> payments, decimal fee)
    {
        var net = payments.Sum(p => p.NetYuan);
        var refunded = payments.Sum(p => p.RefundYuan);
        var state = net >= fee ? PaymentState.Paid
            : net > 0 ? PaymentState.Partial
            : refunded > 0 ? PaymentState.Refunded
            : PaymentState.Unpaid;
        return new StudentPayment(state, net, refunded, fee);
    }
}

/// <summary>
/// Reads the payments table (owned by the Payments stage) for the other stages: status, the teachers'
/// rosters and digest, the admin report and the export manifest. A payment is matched to a student by
/// student number first, then by ID number, against the roster as it is now.
/// </summary>
public sealed class PaymentStanding(Database database, IOptions<CampaignOptions> campaign)
{
    public async Task<PaymentBook> ReadAsync(CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        var imported = await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM payment_imports)");
        // No payment to match (no export imported yet, or none with a row): every teacher's mail asks, so it must not
        // read the whole roster for nothing (200,000 students: a quarter of a second per digest, 5,000 digests).
        if (!await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM payments)"))
            return new PaymentBook(imported, campaign.Value.FeeYuan, []);
        var students = (await c.QueryAsync<(long Id, string Number, string NationalId, long Eligible)>(
            "SELECT id, student_number, national_id, eligible FROM students")).ToList();
        var byNumber = new Dictionary<string, (long Id, bool Eligible)>(StringComparer.OrdinalIgnoreCase);
        var byNationalId = new Dictionary<string, (long Id, bool Eligible)>(StringComparer.OrdinalIgnoreCase);
        foreach (var s in students)
        {
            byNumber[s.Number] = (s.Id, s.Eligible == 1);
            byNationalId[s.NationalId] = (s.Id, s.Eligible == 1);
        }
        var rows = await c.QueryAsync<(string TransactionId, string StudentNumber, string NationalId, string PayerName, long AmountFen,
            string PaidAt, string? RefundedAt, long? RefundFen)>(
            "SELECT transaction_id, student_number, national_id, payer_name, amount_fen, paid_at, refunded_at, refund_fen FROM payments ORDER BY paid_at, id");
        var entries = rows.Select(r =>
        {
            (long Id, bool Eligible)? student = r.StudentNumber.Length > 0 && byNumber.TryGetValue(r.StudentNumber, out var a) ? a
                : r.NationalId.Length > 0 && byNationalId.TryGetValue(r.NationalId, out var b) ? b : null;
            return new PaymentEntry(r.TransactionId, r.StudentNumber, r.NationalId, r.PayerName, r.AmountFen / 100m, UtcTimestamp.Parse(r.PaidAt),
                r.RefundedAt is null ? null : UtcTimestamp.Parse(r.RefundedAt), (r.RefundFen ?? 0) / 100m, student?.Id, student?.Eligible ?? false);
        }).ToList();
        return new PaymentBook(imported, campaign.Value.FeeYuan, entries);
    }
}
