namespace CollectionWorker.Payments;

/// <summary>What an import of a payment export did, or why it did nothing.</summary>
public sealed record PaymentImportResult(
    bool Succeeded,
    IReadOnlyList<PaymentProblem> Problems,
    string? ErrorWorkbook,
    string Encoding,
    int Rows,
    int Added,
    int Refunded,
    int Unchanged,
    int Ignored,
    IReadOnlyList<string> KeptAside,
    IReadOnlyList<string> Partial)
{
    public static PaymentImportResult Failed(IReadOnlyList<PaymentProblem> problems, string? errorWorkbook, string encoding) =>
        new(false, problems, errorWorkbook, encoding, 0, 0, 0, 0, 0, [], []);

    /// <summary>How the file was read: "Excel .xlsx" or "CSV, GB18030".</summary>
    public string ReadAs => Encoding is "xlsx" or "" ? "Excel .xlsx" : $"CSV, {Encoding}";

    public string Summary => Succeeded
        ? $"导入 {Rows} 行（{ReadAs}）：新增 {Added} 笔，退款 {Refunded} 笔，已导入过 {Unchanged} 笔，忽略 {Ignored} 行（未支付或重复）；" +
          $"另有 {KeptAside.Count} 笔无法计入（学生不在名单或不参加采集），{Partial.Count} 名学生未缴足。 " +
          $"Imported {Rows} rows ({ReadAs}): {Added} new payment(s), {Refunded} refund(s), {Unchanged} already imported, {Ignored} ignored (not paid, or repeated); " +
          $"{KeptAside.Count} payment(s) kept aside (student unknown or not eligible), {Partial.Count} student(s) partly paid."
        : $"没有导入任何记录：{Problems.Count} 个问题。 Nothing was imported: {Problems.Count} problem(s).";
}
