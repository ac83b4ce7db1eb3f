using System.Globalization;
using System.Text.RegularExpressions;
using CollectionWorker.Campaign;
using CollectionWorker.Sheets;

namespace CollectionWorker.Payments;

/// <summary>What a row of the export says happened to a transaction.</summary>
public enum PaymentKind { Payment, Refund, NotPaid }

/// <summary>One row of the export, checked: amounts in fen (exact), the time in UTC.</summary>
public sealed record PaymentRecord(
    int SourceRow, string TransactionId, string StudentNumber, string NationalId, string PayerName, long AmountFen, DateTimeOffset At, PaymentKind Kind)
{
    public bool NamesStudent => StudentNumber.Length > 0 || NationalId.Length > 0;
}

/// <summary>
/// Checks each row on its own (transaction id, who, amount, time, status) and the rows against each
/// other (one transaction paid twice with different details). Each problem names its row and column.
/// Times without an offset are campaign time (Asia/Shanghai), as the platforms write them.
/// </summary>
public sealed partial class PaymentValidator(CampaignClock clock)
{
    public List<PaymentRecord> Validate(PaymentSheet sheet)
    {
        var records = new List<PaymentRecord>();
        foreach (var row in sheet.Rows)
        {
            var before = sheet.Problems.Count;
            void Problem(PaymentField f, string zh, string en) => sheet.Problems.Add(new PaymentProblem(row.RowNumber, sheet.ColumnLabel(f), zh, en));

            var transaction = row[PaymentField.TransactionId];
            if (transaction.Length == 0) Problem(PaymentField.TransactionId, "交易号为空", "the transaction id is empty");
            else if (Shortened(transaction))
                Problem(PaymentField.TransactionId, $"交易号“{transaction}”已被 Excel 改成科学计数法，末尾数字已丢失：请从缴费平台重新导出，不要在 Excel 中另存",
                    $"the transaction id '{transaction}' was turned into a shortened number by Excel and its last digits are lost: export it again from the platform without re-saving it in Excel");
            else if (transaction.Length > 64) Problem(PaymentField.TransactionId, "交易号超过 64 个字符", "the transaction id is longer than 64 characters");

            var kind = Kind(row[PaymentField.Status], out var statusKnown);
            if (!statusKnown)
            {
                Problem(PaymentField.Status, $"无法识别的状态“{row[PaymentField.Status]}”：应为 支付成功、已退款 或 待支付/已关闭 等",
                    $"unknown status '{row[PaymentField.Status]}': expected paid (支付成功), refunded (已退款) or not paid (待支付, 已关闭, …)");
                kind = PaymentKind.Payment; // the rest of the row is checked as a payment's, so every problem is told at once
            }

            var amountFen = 0L;
            var amountText = row[PaymentField.Amount];
            if (kind != PaymentKind.NotPaid)
            {
                if (amountText.Length == 0) Problem(PaymentField.Amount, "金额为空", "the amount is empty");
                else if (!TryAmount(amountText, out amountFen))
                    Problem(PaymentField.Amount, $"金额“{amountText}”不是以元为单位、最多两位小数的数字", $"the amount '{amountText}' is not a number of yuan with at most two decimals");
                else if (amountFen < 0 && kind == PaymentKind.Payment && row[PaymentField.Status].Length > 0)
                    Problem(PaymentField.Amount, $"状态为已支付，但金额是负数（{amountText}）", $"the status says paid, but the amount is negative ({amountText})");
                else if (amountFen == 0) Problem(PaymentField.Amount, "金额为 0", "the amount is 0");
                // A negative amount without a status saying otherwise is how some platforms list a refund.
                if (amountFen < 0 && row[PaymentField.Status].Length == 0) kind = PaymentKind.Refund;
                amountFen = Math.Abs(amountFen);
            }

            var atText = row[PaymentField.PaidAt];
            DateTimeOffset at = default;
            if (kind != PaymentKind.NotPaid)
            {
                if (atText.Length == 0) Problem(PaymentField.PaidAt, "支付时间为空", "the payment time is empty");
                else if (!TryTime(atText, out at))
                    Problem(PaymentField.PaidAt, $"支付时间“{atText}”无法识别：请写成 2022-05-06 10:30:00", $"the payment time '{atText}' cannot be read: write it as 2022-05-06 10:30:00");
            }

            var number = row[PaymentField.StudentNumber];
            if (Shortened(number))
                Problem(PaymentField.StudentNumber, $"学号“{number}”已被 Excel 改成科学计数法：请将该列设为“文本”后重新导出", $"the student number '{number}' was shortened by Excel: export it again with the column as text");
            var nationalId = NationalId.Normalise(row[PaymentField.NationalId]);
            if (nationalId.Length > 0)
            {
                if (Shortened(nationalId))
                    Problem(PaymentField.NationalId, "身份证号已被 Excel 改成科学计数法，末尾数字已丢失：请将该列设为“文本”后重新导出",
                        $"the ID number '{NationalId.Mask(nationalId)}' was shortened by Excel and its last digits are lost: export it again with the column as text");
                else if (!NationalId.TryValidate(nationalId, out _, out _, out var zh, out var en))
                    Problem(PaymentField.NationalId, "身份证号有误：" + zh, "the ID number is wrong: " + en);
            }

            if (kind == PaymentKind.Payment && number.Length == 0 && nationalId.Length == 0)
                Problem(sheet.FieldColumns.ContainsKey(PaymentField.StudentNumber) ? PaymentField.StudentNumber : PaymentField.NationalId,
                    "学号和身份证号都为空：不知道是哪位学生缴的费", "both the student number and the ID number are empty: whose payment is it?");

            if (sheet.Problems.Count == before && transaction.Length > 0)
                records.Add(new PaymentRecord(row.RowNumber, transaction, number, nationalId, row[PaymentField.Name], amountFen, at, kind));
        }
        CheckRepeats(records, sheet);
        return records;
    }

    /// <summary>
    /// A transaction paid on two rows must say the same both times (an export joined with an older one):
    /// the repeat is then left out; with different details it is a problem. A refund row may follow its payment.
    /// </summary>
    private static void CheckRepeats(List<PaymentRecord> records, PaymentSheet sheet)
    {
        foreach (var group in records.Where(r => r.Kind != PaymentKind.NotPaid).GroupBy(r => (r.TransactionId, r.Kind)).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var other in group.Skip(1))
                if (other.StudentNumber != first.StudentNumber || other.NationalId != first.NationalId || other.AmountFen != first.AmountFen)
                    sheet.Problems.Add(new PaymentProblem(other.SourceRow, sheet.ColumnLabel(PaymentField.TransactionId),
                        $"交易号 {other.TransactionId} 在第 {first.SourceRow} 行已出现，但学生或金额不同：同一笔交易只能有一种内容",
                        $"transaction {other.TransactionId} is already on row {first.SourceRow} with a different student or amount: one transaction has one content"));
        }
    }

    private static readonly string[] Paid = ["", "成功", "支付成功", "交易成功", "已支付", "已缴费", "已缴", "已付款", "缴费成功", "付款成功", "已完成", "完成", "已到账",
        "paid", "success", "succeeded", "successful", "completed", "complete", "ok", "tradesuccess", "tradefinished"];
    private static readonly string[] Refunded = ["已退款", "退款", "退款成功", "全额退款", "部分退款", "已全额退款", "转入退款", "已退费", "退费",
        "refund", "refunded", "refundsuccess", "refundcomplete"];
    private static readonly string[] NotPaid = ["待支付", "未支付", "待付款", "未付款", "已关闭", "关闭", "交易关闭", "已取消", "取消", "支付失败", "失败", "处理中", "已撤销",
        "pending", "unpaid", "notpay", "closed", "cancelled", "canceled", "failed", "fail", "processing", "revoked", "tradeclosed", "waitbuyerpay"];

    private static PaymentKind Kind(string status, out bool known)
    {
        var s = HeaderText.Clean(status);
        known = true;
        if (Paid.Contains(s)) return PaymentKind.Payment;
        if (Refunded.Contains(s)) return PaymentKind.Refund;
        if (NotPaid.Contains(s)) return PaymentKind.NotPaid;
        known = false;
        return PaymentKind.NotPaid;
    }

    /// <summary>"15", "15.00", "¥15.00", "15元", "1,500.00", "-15.00" (a refund): to fen, refusing a third decimal.</summary>
    public static bool TryAmount(string text, out long fen)
    {
        fen = 0;
        var t = text.Replace("¥", "").Replace("￥", "").Replace("元", "").Replace(",", "").Replace("，", "")
            .Replace("CNY", "", StringComparison.OrdinalIgnoreCase).Replace("RMB", "", StringComparison.OrdinalIgnoreCase).Trim();
        if (!decimal.TryParse(t, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan)) return false;
        var f = yuan * 100;
        if (f != decimal.Truncate(f) || Math.Abs(f) > 100_000_000) return false;
        fen = (long)f;
        return true;
    }

    private static readonly string[] LocalFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd H:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd H:mm", "yyyy-MM-dd",
        "yyyy/M/d HH:mm:ss", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm", "yyyy/M/d HH:mm", "yyyy/M/d",
        "yyyy-M-d H:mm:ss", "yyyy-M-d H:mm", "yyyy-M-d", "yyyy.M.d H:mm:ss", "yyyy.M.d",
        "yyyy年M月d日 H:mm:ss", "yyyy年M月d日 H:mm", "yyyy年M月d日", "yyyyMMddHHmmss", "yyyy-MM-ddTHH:mm:ss",
    ];

    /// <summary>A time with an offset as written; without one, in campaign time; an Excel serial number as Excel means it.</summary>
    public bool TryTime(string text, out DateTimeOffset at)
    {
        at = default;
        var t = text.Trim();
        if (HasOffset().IsMatch(t))
            return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out at);
        DateTime local;
        if (double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var serial) && serial is > 30000 and < 80000)
            local = DateTime.FromOADate(serial);
        else if (!DateTime.TryParseExact(t, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out local))
            return false;
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        at = new DateTimeOffset(local, clock.Zone.GetUtcOffset(local)).ToUniversalTime();
        return true;
    }

    /// <summary>What Excel shows for a long number it has cut to 15 digits: "4.40106E+17", "4.40106E17".</summary>
    private static bool Shortened(string text) => ScientificNumber().IsMatch(text);

    [GeneratedRegex(@"^\d(\.\d+)?[eE]\+?\d+$")]
    private static partial Regex ScientificNumber();

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$")]
    private static partial Regex HasOffset();
}
