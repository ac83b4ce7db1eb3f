using System.Text.Json;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using static CollectionWorker.Tests.Payments.PaymentFiles;

namespace CollectionWorker.Tests.Payments;

public class PaymentImportTests
{
    /// <summary>Students 1-4 in 20级计算机1班, 5-6 in 20级计算机2班 (eligible); 7 is 2019级 (not eligible).</summary>
    internal static async Task RosterAsync(TestHost host, IEnumerable<int>? only = null)
    {
        var students = (only ?? Enumerable.Range(1, 7)).Select(i => i switch
        {
            <= 4 => TestStudent.Make(i),
            <= 6 => TestStudent.Make(i, "20级计算机2班"),
            _ => TestStudent.Make(i, "19级旧班", grade: "2019级"),
        });
        var result = await host.RunAsync("import-roster", RosterBuilder.Write(host.File($"roster-{Guid.NewGuid():N}.xlsx"), students));
        Assert.True(result.Exit == 0, result.Err);
    }

    /// <summary>The command line's host, on the store under test (SQLite here, PostgreSQL in Worker.Tests.Postgres).</summary>
    protected virtual Task<TestHost> NewHostAsync() => Task.FromResult(new TestHost());

    /// <summary>A connection to the host's store, to check what the import left there.</summary>
    protected virtual async Task<System.Data.Common.DbConnection> StoreAsync(TestHost host) => await OpenAsync(host);

    internal static Task<System.Data.Common.DbConnection> OpenAsync(TestHost host) => host.OpenStoreAsync();

    internal static async Task<JsonElement> StatusJsonAsync(TestHost host)
    {
        var status = await host.RunAsync("status", "--json");
        Assert.True(status.Exit == 0, status.Err);
        return JsonDocument.Parse(status.Out).RootElement;
    }

    private static JsonElement Class(JsonElement status, string name) =>
        status.GetProperty("classes").EnumerateArray().Single(c => c.GetProperty("class").GetString() == name);

    [Fact]
    public async Task An_xlsx_export_is_imported_and_status_json_gives_paid_and_unpaid_per_class()
    {
        using var host = await NewHostAsync();
        await RosterAsync(host);
        var before = await StatusJsonAsync(host);
        Assert.False(Class(before, "20级计算机1班").TryGetProperty("paid", out _)); // no export imported yet: nobody is called unpaid
        var file = Xlsx(host.File("export.xlsx"),
        [
            Paid("T1", 1), Paid("T2", 2, "10.00"), Paid("T3", 3), Paid("T3", 3, "15.00", "已退款", "2022-05-07 09:00:00"), Paid("T5", 5),
            Paid("T6", 6, "15", "待支付"),
        ]);

        var result = await host.RunAsync("import-payments", file);

        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains("Imported 6 rows (Excel .xlsx): 4 new payment(s), 1 refund(s), 0 already imported, 1 ignored", result.Out);
        Assert.Contains($"{TestStudent.Make(2).StudentNumber} {TestStudent.Make(2).Name}: 未缴足：已缴 10 元，差 5 元 / partial: 10 of 15 yuan paid", result.Out);
        var status = await StatusJsonAsync(host);
        var a = Class(status, "20级计算机1班");
        Assert.Equal((1, 3, 1, 1), (a.GetProperty("paid").GetInt32(), a.GetProperty("unpaid").GetInt32(), a.GetProperty("partially_paid").GetInt32(), a.GetProperty("refunded").GetInt32()));
        var b = Class(status, "20级计算机2班");
        Assert.Equal((1, 1), (b.GetProperty("paid").GetInt32(), b.GetProperty("unpaid").GetInt32()));
        var totals = status.GetProperty("payments");
        Assert.Equal(90m, totals.GetProperty("expected_yuan").GetDecimal()); // 6 eligible × 15
        Assert.Equal(40m, totals.GetProperty("received_yuan").GetDecimal()); // 15 + 10 + 15; the refunded 15 is not kept
        Assert.Equal(50m, totals.GetProperty("missing_yuan").GetDecimal()); // 5 + 15 + 15 + 15
        Assert.Equal(15m, totals.GetProperty("refunded_yuan").GetDecimal());

        await using var c = await StoreAsync(host);
        var t3 = await c.QuerySingleAsync<(long Amount, long? Refund, string? RefundedAt)>("SELECT amount_fen, refund_fen, refunded_at FROM payments WHERE transaction_id = 'T3'");
        Assert.Equal((1500L, 1500L, "2022-05-07T01:00:00.000Z"), t3); // campaign time (Asia/Shanghai) stored as UTC
        var table = await host.RunAsync("status");
        Assert.Contains("未缴 Unpaid", table.Out);
        Assert.Contains("应收 expected 90, 已收 received 40, 未收 missing 50, 已退 refunded 15", table.Out);
    }

    [Fact]
    public async Task Numbers_and_dates_typed_as_such_in_excel_are_read_as_a_person_sees_them_and_a_shortened_id_is_refused()
    {
        using var host = await NewHostAsync();
        var zero = TestStudent.Make(1) with { StudentNumber = "0012345" };
        Assert.Equal(0, (await host.RunAsync("import-roster", RosterBuilder.Write(host.File("r.xlsx"), [zero, TestStudent.Make(2), TestStudent.Make(3)]))).Exit);
        var file = Xlsx(host.File("typed.xlsx"), [Paid("T1", 1), Paid("T2", 2), Paid("T3", 3)], edit: ws =>
        {
            ws.SetNumber(3, 3, 12345, "0000000");               // the student number as a number, shown with its zeros
            ws.SetNumber(3, 5, 15);                             // the amount as a number
            ws.SetDate(4, 1, new DateTime(2022, 5, 6, 10, 30, 0)); // a real date cell, campaign time
            ws.SetNumber(4, 5, 15.5);
        });

        var result = await host.RunAsync("import-payments", file);

        Assert.True(result.Exit == 0, result.Err);
        await using (var c = await StoreAsync(host))
        {
            Assert.Equal("0012345", await c.ExecuteScalarAsync<string>("SELECT student_number FROM payments WHERE transaction_id = 'T1'"));
            Assert.Equal(1550L, await c.ExecuteScalarAsync<long>("SELECT amount_fen FROM payments WHERE transaction_id = 'T2'"));
            Assert.Equal("2022-05-06T02:30:00.000Z", await c.ExecuteScalarAsync<string>("SELECT paid_at FROM payments WHERE transaction_id = 'T2'"));
        }
        Assert.Equal(3, Class(await StatusJsonAsync(host), "20级计算机1班").GetProperty("paid").GetInt32()); // T1 matched by 0012345; 15.50 is more than the fee

        var shortened = Xlsx(host.File("short.xlsx"), [["2022-05-06 10:00", "T9", "", "", "15", "支付成功"]], ["交易时间", "交易单号", "学号", "身份证号", "金额", "交易状态"],
            ws => ws.SetNumber(3, 4, 440106200101010011d)); // an ID number typed as a number: Excel keeps 15 digits
        var refused = await host.RunAsync("import-payments", shortened);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("row 3, column D (身份证号 NationalId): the ID number", refused.Err);
        Assert.Contains("was shortened by Excel", refused.Err);
    }

    [Fact]
    public async Task A_text_longer_than_a_cell_can_hold_is_cut_and_marked_in_the_error_workbook_and_the_workbook_saves()
    {
        const int excelCellLimit = 32_767;
        using var host = await NewHostAsync();
        await RosterAsync(host);
        // Rows refused for their amount are copied into the error workbook, names and all.
        string[] Row(string transaction, int i, string name)
        {
            var row = Paid(transaction, i, "abc");
            row[3] = name;
            return row;
        }
        var file = Csv(host.File("long.csv"),
        [
            Row("T1", 1, new string('字', 40_000)),
            // A surrogate pair straddling the cut (its high half would be the last character kept) is not split.
            Row("T2", 2, new string('a', excelCellLimit - 21) + string.Concat(Enumerable.Repeat("😀", 100))),
        ], Utf8);

        var result = await host.RunAsync("import-payments", file);

        Assert.Equal(1, result.Exit);
        var ws = WorkbookView.Open(host.File("long.errors.xlsx")).Sheet("错误 Errors");
        var cut = ws.Text(2, 4);
        Assert.Equal(excelCellLimit, cut.Length);
        Assert.StartsWith("字字字", cut);
        Assert.EndsWith("（已截断 truncated）", cut);
        var pair = ws.Text(3, 4);
        Assert.True(pair.Length <= excelCellLimit, $"{pair.Length} characters");
        Assert.False(char.IsHighSurrogate(pair[pair.IndexOf('…') - 1]));
        Assert.Empty(Workbooks.ValidationErrors(host.File("long.errors.xlsx")));
    }

    [Fact]
    public async Task Every_row_error_is_named_by_row_and_column_nothing_is_stored_and_an_error_workbook_is_written()
    {
        using var host = await NewHostAsync();
        await RosterAsync(host);
        Assert.Equal(0, (await host.RunAsync("import-payments", Xlsx(host.File("first.xlsx"), [Paid("OLD1", 1)]))).Exit);
        string[] H = ["Transaction ID", "Student Number", "ID Number", "Amount", "Paid At", "Status"];
        var n1 = TestStudent.Make(1).StudentNumber;
        var rows = new[]
        {
            new[] { "", n1, "", "15", "2022-05-06 10:00", "paid" },                                    // 2: no transaction id
            ["E3", n1, "", "", "2022-05-06 10:00", "paid"],                                              // 3: no amount
            ["E4", n1, "", "fifteen", "2022-05-06 10:00", "paid"],                                       // 4: amount not a number
            ["E5", n1, "", "15.005", "2022-05-06 10:00", "paid"],                                        // 5: a third decimal
            ["E6", n1, "", "0", "2022-05-06 10:00", "paid"],                                             // 6: zero
            ["E7", n1, "", "-15", "2022-05-06 10:00", "paid"],                                           // 7: negative, yet paid
            ["E8", n1, "", "15", "", "paid"],                                                            // 8: no time
            ["E9", n1, "", "15", "next Tuesday", "paid"],                                                // 9: a time nobody can read
            ["E10", n1, "", "15", "2022-05-06 10:00", "maybe"],                                          // 10: unknown status
            ["E11", "", "", "15", "2022-05-06 10:00", "paid"],                                           // 11: whose?
            ["E12", "", "4.40106E+17", "15", "2022-05-06 10:00", "paid"],                                // 12: an ID Excel shortened
            ["E13", "", "440106200101010010", "15", "2022-05-06 10:00", "paid"],                         // 13: wrong check digit
            ["4.2000012E+27", n1, "", "15", "2022-05-06 10:00", "paid"],                                 // 14: a transaction id Excel shortened
            ["E15", n1, TestStudent.Make(2).NationalId, "15", "2022-05-06 10:00", "paid"],              // 15: number and ID of two students
            ["OLD1", n1, "", "20", "2022-05-06 10:00", "paid"],                                          // 16: stored with 15 yuan
            ["E17", n1, "", "15", "2022-05-06 10:00", "paid"],                                           // 17: fine
            ["E17", TestStudent.Make(2).StudentNumber, "", "15", "2022-05-06 10:00", "paid"],           // 18: same transaction, other student
            ["R19", "", "", "15", "2022-05-06 10:00", "refunded"],                                       // 19: refund of nothing known, for nobody
            ["E17", "", "", "20", "2022-05-07 10:00", "refunded"],                                       // 20: refund larger than paid
        };
        var file = Csv(host.File("bad.csv"), rows, Utf8, headers: H);

        var result = await host.RunAsync("import-payments", file);

        Assert.Equal(1, result.Exit);
        string[] expected =
        [
            "row 2, column A (交易号 TransactionId): the transaction id is empty",
            "row 3, column D (金额 Amount): the amount is empty",
            "row 4, column D (金额 Amount): the amount 'fifteen' is not a number",
            "row 5, column D (金额 Amount): the amount '15.005' is not a number of yuan with at most two decimals",
            "row 6, column D (金额 Amount): the amount is 0",
            "row 7, column D (金额 Amount): the status says paid, but the amount is negative",
            "row 8, column E (支付时间 PaidAt): the payment time is empty",
            "row 9, column E (支付时间 PaidAt): the payment time 'next Tuesday' cannot be read",
            "row 10, column F (状态 Status): unknown status 'maybe'",
            "row 11, column B (学号 StudentNumber): both the student number and the ID number are empty",
            "row 12, column C (身份证号 NationalId): the ID number '4.4010*E+17' was shortened by Excel",
            "row 13, column C (身份证号 NationalId): the ID number is wrong",
            "row 14, column A (交易号 TransactionId): the transaction id '4.2000012E+27' was turned into a shortened number by Excel",
            "row 15, column C (身份证号 NationalId): student number " + n1 + " is " + TestStudent.Make(1).Name + ", but the ID number belongs to " + TestStudent.Make(2).Name,
            "row 16, column A (交易号 TransactionId): transaction OLD1 was imported before with a different student or amount",
            "row 18, column A (交易号 TransactionId): transaction E17 is already on row 17 with a different student or amount",
            "row 19, column A (交易号 TransactionId): the refunded transaction R19 was never imported and is not in this file, and this row names no student",
            "row 20, column D (金额 Amount): the refund of 20.00 yuan is more than the 15.00 yuan paid",
        ];
        foreach (var line in expected) Assert.Contains(line, result.Err);
        Assert.DoesNotContain("row 17,", result.Err);
        Assert.Contains("Nothing was imported: 18 problem(s).", result.Err);

        await using (var c = await StoreAsync(host))
        {
            Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM payments")); // only OLD1, from the first import
            Assert.Equal(1, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM payment_imports"));
        }
        var errors = Path.Combine(host.Root, "bad.errors.xlsx");
        Assert.Equal(errors, result.Out.Trim());
        var ws = WorkbookView.Open(errors).Sheet("错误 Errors");
        Assert.Equal("错误 Errors", ws.Text(1, 7));
        Assert.Equal(20, ws.LastRow); // every row of the file, the good one too
        Assert.Contains("交易号为空", ws.Text(2, 7));
        Assert.Equal("", ws.Text(17, 7)); // row 17 of the file was fine
        Assert.Equal(17, ws.Cell(17, 8).Int);
    }

    [Fact]
    public async Task The_same_export_twice_changes_nothing_a_later_one_adds_its_rows_and_its_refunds()
    {
        using var host = await NewHostAsync();
        await RosterAsync(host);
        var first = Csv(host.File("day1.csv"), [Paid("T1", 1), Paid("T2", 2), Paid("T2", 2)], Gb18030); // a row repeated as it is: left out

        var one = await host.RunAsync("import-payments", first);
        Assert.True(one.Exit == 0, one.Err);
        Assert.Contains("2 new payment(s), 0 refund(s), 0 already imported, 1 ignored", one.Out);
        var stored = await PaymentsAsync(host);

        var again = await host.RunAsync("import-payments", first);
        Assert.True(again.Exit == 0, again.Err);
        Assert.Contains("0 new payment(s), 0 refund(s), 2 already imported", again.Out);
        Assert.Equal(stored, await PaymentsAsync(host));

        // The platform's later export: everything so far, one new payment, and T1 refunded (its own row changed to 已退款).
        var later = Csv(host.File("day3.csv"), [Paid("T1", 1, status: "已退款"), Paid("T2", 2), Paid("T4", 4)], Gb18030);
        var three = await host.RunAsync("import-payments", later);
        Assert.True(three.Exit == 0, three.Err);
        Assert.Contains("1 new payment(s), 1 refund(s), 1 already imported", three.Out);
        var refunded = Class(await StatusJsonAsync(host), "20级计算机1班");
        Assert.Equal((2, 1), (refunded.GetProperty("paid").GetInt32(), refunded.GetProperty("refunded").GetInt32()));

        // The first export again: a refund is never undone by an older export.
        Assert.Equal(0, (await host.RunAsync("import-payments", first)).Exit);
        await using var c = await StoreAsync(host);
        Assert.NotNull(await c.ExecuteScalarAsync<string?>("SELECT refunded_at FROM payments WHERE transaction_id = 'T1'"));
        Assert.Equal(3, await c.ExecuteScalarAsync<int>("SELECT count(*) FROM payments"));
    }

    private async Task<List<(string, string, long, string, string?)>> PaymentsAsync(TestHost host)
    {
        await using var c = await StoreAsync(host);
        return (await c.QueryAsync<(string, string, long, string, string?)>(
            "SELECT transaction_id, student_number, amount_fen, paid_at, refunded_at FROM payments ORDER BY transaction_id")).ToList();
    }

    [Theory]
    [InlineData("GB18030")]
    [InlineData("UTF-8")]
    [InlineData("UTF-8 (BOM)")]
    public async Task A_csv_in_any_of_the_encodings_chinese_excel_writes_is_read_and_the_encoding_is_said(string encoding)
    {
        using var host = await NewHostAsync();
        await RosterAsync(host);
        var rows = new[] { Paid("T1", 1), Paid("T2", 5, "¥15.00") };
        var file = encoding == "GB18030" ? Csv(host.File("gb.csv"), rows, Gb18030) : Csv(host.File("u8.csv"), rows, Utf8, bom: encoding.Contains("BOM"));
        if (encoding == "GB18030")
            Assert.Throws<System.Text.DecoderFallbackException>(() => new System.Text.UTF8Encoding(false, true).GetString(File.ReadAllBytes(file))); // truly not UTF-8

        var result = await host.RunAsync("import-payments", file);

        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains($"(CSV, {encoding}): 2 new payment(s)", result.Out);
        await using var c = await StoreAsync(host);
        Assert.Equal(encoding, await c.ExecuteScalarAsync<string>("SELECT encoding FROM payment_imports"));
        Assert.Equal(TestStudent.Make(5).Name, await c.ExecuteScalarAsync<string>("SELECT payer_name FROM payments WHERE transaction_id = 'T2'"));
    }

    [Fact]
    public async Task Payments_for_unknown_or_ineligible_students_are_kept_aside_and_count_once_the_roster_names_the_student()
    {
        using var host = await NewHostAsync();
        await RosterAsync(host, [1, 2, 3, 7]);
        var file = Xlsx(host.File("export.xlsx"), [Paid("T1", 1), Paid("T5", 5), Paid("T7", 7)], English);

        var result = await host.RunAsync("import-payments", file);

        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains("2 payment(s) kept aside", result.Out);
        Assert.Contains($"T5: {TestStudent.Make(5).StudentNumber} {TestStudent.Make(5).Name} 15 元 — 学号/身份证号不在名单中 / the student number / ID number is in no roster", result.Out);
        Assert.Contains($"T7: {TestStudent.Make(7).StudentNumber} {TestStudent.Make(7).Name} 15 元 — 该学生不在本次采集对象内（不参加采集） / the student is outside the campaign's cohorts (not eligible)", result.Out);
        var status = await StatusJsonAsync(host);
        Assert.Equal(2, status.GetProperty("payments").GetProperty("kept_aside").GetInt32());
        Assert.Equal(1, status.GetProperty("payments").GetProperty("paid").GetInt32());

        // Student 5 joins the roster: the stored payment counts for them now, without importing it again.
        await RosterAsync(host, [1, 2, 3, 5, 7]);
        status = await StatusJsonAsync(host);
        Assert.Equal(1, status.GetProperty("payments").GetProperty("kept_aside").GetInt32());
        Assert.Equal(1, Class(status, "20级计算机2班").GetProperty("paid").GetInt32());
    }

    [Fact]
    public async Task A_refund_listed_before_its_payment_a_negative_amount_and_a_refund_by_id_number_are_understood()
    {
        using var host = await NewHostAsync();
        await RosterAsync(host);
        string[] H = ["交易号", "身份证号", "金额", "支付时间", "状态"];
        var id1 = TestStudent.Make(1).NationalId;
        var id2 = TestStudent.Make(2).NationalId;
        var file = Csv(host.File("mixed.csv"),
        [
            ["R1", id1, "5.00", "2022-05-08 09:00:00", "退款成功"],   // partial refund before its payment
            ["R1", id1, "15.00", "2022-05-06 09:00:00", "支付成功"],
            ["R2", id2, "15.00", "2022/5/6 9:30", ""],               // no status: paid
            ["R2", id2, "-15.00", "2022/5/9 9:30", ""],              // a negative amount without a status: its refund
        ], Gb18030, headers: H);

        var result = await host.RunAsync("import-payments", file);

        Assert.True(result.Exit == 0, result.Err);
        var a = Class(await StatusJsonAsync(host), "20级计算机1班");
        Assert.Equal((0, 1, 1), (a.GetProperty("paid").GetInt32(), a.GetProperty("partially_paid").GetInt32(), a.GetProperty("refunded").GetInt32()));
        Assert.Contains($"{TestStudent.Make(1).Name}: 未缴足：已缴 10 元，差 5 元", result.Out);
    }
}
