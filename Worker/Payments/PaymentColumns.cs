using CollectionWorker.Sheets;

namespace CollectionWorker.Payments;

public enum PaymentField { StudentNumber, NationalId, Name, Amount, PaidAt, TransactionId, Status }

/// <summary>The payment export's columns, by their Chinese or English header; which ones must be there.</summary>
public static class PaymentColumns
{
    public sealed record Column(PaymentField Field, string Chinese, string English, string[] Aliases)
    {
        public string Header => $"{Chinese} {English}";
    }

    public static IReadOnlyList<Column> All { get; } =
    [
        new(PaymentField.StudentNumber, "学号", "StudentNumber", ["学号", "学生学号", "studentnumber", "studentno", "studentid"]),
        new(PaymentField.NationalId, "身份证号", "NationalId", ["身份证号", "身份证号码", "身份证", "证件号码", "证件号", "nationalid", "idnumber", "idno", "idcard"]),
        new(PaymentField.Name, "姓名", "Name", ["姓名", "学生姓名", "缴费人", "付款人", "name", "studentname", "payer", "payername"]),
        new(PaymentField.Amount, "金额", "Amount", ["金额", "缴费金额", "支付金额", "实付金额", "实收金额", "交易金额", "订单金额", "金额元", "amount", "paidamount", "amountyuan"]),
        new(PaymentField.PaidAt, "支付时间", "PaidAt", ["支付时间", "缴费时间", "付款时间", "交易时间", "支付日期", "缴费日期", "paidat", "paymenttime", "paidtime", "transactiontime", "time", "date"]),
        new(PaymentField.TransactionId, "交易号", "TransactionId", ["交易号", "交易流水号", "流水号", "交易单号", "订单号", "商户订单号", "支付单号", "transactionid", "transactionno", "orderid", "orderno", "tradeno"]),
        new(PaymentField.Status, "状态", "Status", ["状态", "交易状态", "支付状态", "订单状态", "退款", "退款状态", "status", "refund", "refundstatus", "state"]),
    ];

    public static Column Of(PaymentField field) => All[(int)field];

    /// <summary>"学号", "Student No.", "交易号 TransactionId": the whole text first, then each word.</summary>
    public static PaymentField? Recognise(string header) => HeaderText.Recognise(header, All.Select(c => (c.Field, c.Aliases)));
}
