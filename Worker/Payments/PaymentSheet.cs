namespace CollectionWorker.Payments;

/// <summary>
/// One thing wrong with a payment export: where (the row in the file, counted as Excel or a text editor
/// shows it, and the column; the whole file when Row is null) and what, in Chinese and English.
/// </summary>
public sealed record PaymentProblem(int? Row, string? Column, string MessageZh, string MessageEn)
{
    public string Where => (Row, Column) switch
    {
        (null, null) => "file",
        (null, { } c) => $"column {c}",
        ({ } r, null) => $"row {r}",
        ({ } r, { } c) => $"row {r}, column {c}",
    };

    public override string ToString() => $"{Where}: {MessageEn} / {MessageZh}";
}

/// <summary>A payment export read as text: its header, every data row's cells, and how it was read.</summary>
public sealed class PaymentSheet
{
    /// <summary>"xlsx", or the CSV's encoding as detected: "UTF-8", "UTF-8 (BOM)", "UTF-16", "GB18030".</summary>
    public string Encoding { get; set; } = "";
    public int HeaderRow { get; set; }
    public List<string> Headers { get; } = [];
    /// <summary>Which column (1-based) holds each recognised field.</summary>
    public Dictionary<PaymentField, int> FieldColumns { get; } = [];
    public List<PaymentRow> Rows { get; } = [];
    public List<PaymentProblem> Problems { get; } = [];

    public string ColumnLabel(PaymentField field) =>
        FieldColumns.TryGetValue(field, out var c) ? $"{ColumnLetter(c)} ({PaymentColumns.Of(field).Header})" : PaymentColumns.Of(field).Header;

    public static string ColumnLetter(int column)
    {
        var s = "";
        for (var n = column; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }

    /// <summary>
    /// Takes the header at <paramref name="headerRow"/> of <paramref name="table"/> (rows of cells as text, numbered from 1) and
    /// every non-blank row below it. A header is the first of the top 15 rows with three or more known columns.
    /// </summary>
    public static PaymentSheet FromTable(IReadOnlyList<(int Row, string[] Cells)> table, string encoding)
    {
        var sheet = new PaymentSheet { Encoding = encoding };
        var header = table.Take(15).FirstOrDefault(r => r.Cells.Count(c => PaymentColumns.Recognise(c) is not null) >= 3);
        if (header.Cells is null)
        {
            sheet.Problems.Add(table.Any(r => r.Cells.Any(c => c.Length > 0))
                ? new PaymentProblem(null, null, "在前 15 行中没有找到表头（需要 学号 或 身份证号、金额、支付时间、交易号 等列名）",
                    "no header row found in the first 15 rows (expected columns such as 学号 StudentNumber or 身份证号 NationalId, 金额 Amount, 支付时间 PaidAt, 交易号 TransactionId)")
                : new PaymentProblem(null, null, "文件是空的，没有任何数据", "the file is empty: it has no data"));
            return sheet;
        }
        sheet.HeaderRow = header.Row;
        for (var c = 1; c <= header.Cells.Length; c++)
        {
            var text = header.Cells[c - 1].Trim();
            sheet.Headers.Add(text);
            if (PaymentColumns.Recognise(text) is not { } field) continue;
            if (sheet.FieldColumns.TryGetValue(field, out var first))
            {
                sheet.Problems.Add(new PaymentProblem(header.Row, ColumnLetter(c),
                    $"“{text}”与 {ColumnLetter(first)} 列重复，都表示{PaymentColumns.Of(field).Chinese}：请删除一列",
                    $"'{text}' repeats column {ColumnLetter(first)}: both are {PaymentColumns.Of(field).English}; remove one"));
                continue;
            }
            sheet.FieldColumns[field] = c;
        }

        var missing = new[] { PaymentField.TransactionId, PaymentField.Amount, PaymentField.PaidAt }
            .Where(f => !sheet.FieldColumns.ContainsKey(f)).Select(PaymentColumns.Of).ToList();
        if (missing.Count > 0)
            sheet.Problems.Add(new PaymentProblem(header.Row, null, "缺少必需的列：" + string.Join("、", missing.Select(m => m.Chinese)),
                "required columns are missing: " + string.Join(", ", missing.Select(m => m.Header))));
        if (!sheet.FieldColumns.ContainsKey(PaymentField.StudentNumber) && !sheet.FieldColumns.ContainsKey(PaymentField.NationalId))
            sheet.Problems.Add(new PaymentProblem(header.Row, null, "缺少识别学生的列：需要 学号 或 身份证号（至少一列）",
                "no column names the student: 学号 StudentNumber or 身份证号 NationalId (at least one) is required"));
        if (sheet.Problems.Count > 0) return sheet;

        foreach (var (row, cells) in table.Where(r => r.Row > header.Row))
        {
            if (cells.All(c => c.Length == 0)) continue; // blank rows between blocks
            // Platforms end their exports with a summary line ("合计", "总计", "Total: 12 orders"); it is no payment.
            if (cells.FirstOrDefault(c => c.Length > 0) is { } firstCell && IsSummary(firstCell) && Value(sheet, cells, PaymentField.TransactionId).Length == 0)
                continue;
            var r = new PaymentRow(row, cells);
            foreach (var (field, c) in sheet.FieldColumns) r.Values[field] = c <= cells.Length ? cells[c - 1] : "";
            sheet.Rows.Add(r);
        }
        if (sheet.Rows.Count == 0)
            sheet.Problems.Add(new PaymentProblem(null, null, "表头下面没有缴费记录", "there are no payment rows below the header"));
        return sheet;
    }

    private static string Value(PaymentSheet sheet, string[] cells, PaymentField field) =>
        sheet.FieldColumns.TryGetValue(field, out var c) && c <= cells.Length ? cells[c - 1] : "";

    private static bool IsSummary(string text) =>
        text.StartsWith("合计", StringComparison.Ordinal) || text.StartsWith("总计", StringComparison.Ordinal)
        || text.StartsWith("total", StringComparison.OrdinalIgnoreCase) || text.StartsWith('#');
}

/// <summary>One data row: its row number in the file, the text of every cell, and of each field.</summary>
public sealed class PaymentRow(int rowNumber, string[] cells)
{
    public int RowNumber { get; } = rowNumber;
    public string[] Cells { get; } = cells;
    public Dictionary<PaymentField, string> Values { get; } = [];

    public string this[PaymentField field] => Values.TryGetValue(field, out var v) ? v : "";
}
