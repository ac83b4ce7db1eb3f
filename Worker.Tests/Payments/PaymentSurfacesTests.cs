using CollectionWorker.Notifications;
using CollectionWorker.Payments;
using CollectionWorker.Tests.Export;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CollectionWorker.Tests.Payments.PaymentFiles;
using static CollectionWorker.Tests.Payments.PaymentImportTests;

namespace CollectionWorker.Tests.Payments;

/// <summary>Where the fee shows: payments-inbox/, the teachers' roster and digest, the report, the export manifest.</summary>
public class PaymentSurfacesTests
{
    private const string QuickInbox = """{ "Payments": { "StableFor": "00:00:00" } }""";

    [Fact]
    public async Task The_inbox_imports_a_good_export_into_processed_and_puts_a_bad_one_and_a_stranger_into_failed_with_the_reason()
    {
        using var host = new TestHost(QuickInbox);
        await RosterAsync(host);
        using var app = await host.BuildAsync();
        var inbox = Path.Combine(host.DataDirectory, "payments-inbox");
        Csv(Path.Combine(inbox, "good.csv"), [Paid("T1", 1), Paid("T2", 2)], Gb18030);
        Csv(Path.Combine(inbox, "bad.csv"), [Paid("T3", 3, "abc")], Gb18030);
        await File.WriteAllTextAsync(Path.Combine(inbox, "notes.pdf"), "%PDF-1.4");

        await ActivatorUtilities.CreateInstance<PaymentsInboxWatcher>(app.Services).ScanOnceAsync(CancellationToken.None);

        Assert.Empty(Directory.GetFiles(inbox));
        Assert.Single(Directory.GetFiles(Path.Combine(inbox, "processed"), "*_good.csv"));
        var failed = Directory.GetFiles(Path.Combine(inbox, "failed")).Select(Path.GetFileName).ToList();
        Assert.Contains(failed, f => f!.EndsWith("_bad.csv"));
        Assert.Contains(failed, f => f!.EndsWith("_notes.pdf"));
        var badErrors = Directory.GetFiles(Path.Combine(inbox, "failed"), "*_bad.errors.xlsx").Single();
        Assert.Contains("金额“abc”不是以元为单位", WorkbookView.Open(badErrors).Sheet("错误 Errors").Text(2, 7));
        var pdfErrors = Directory.GetFiles(Path.Combine(inbox, "failed"), "*_notes.errors.xlsx").Single();
        Assert.Contains("only the payment platform's Excel (.xlsx) or CSV (.csv) export is imported", WorkbookView.Open(pdfErrors).Sheet("文件 File").Text(2, 3));
        Assert.Equal(2, (await StatusJsonAsync(host)).GetProperty("payments").GetProperty("paid").GetInt32());
    }

    [Fact]
    public async Task The_teachers_roster_has_an_unpaid_column_and_the_digest_a_count_once_payments_are_imported()
    {
        using var host = new TestHost();
        await RosterAsync(host);
        using var app = await host.BuildAsync();
        var builder = app.Services.GetRequiredService<MailModelBuilder>();
        var before = await builder.BuildAsync("teacher-digest", "wang@example.edu.cn", "王老师", "{}");
        Assert.False((bool)((Dictionary<string, object?>)before.Values["payments"]!)["imported"]!);
        Assert.DoesNotContain(ClassSheet(WorkbookView.Open(before.Attachments[0].Content)).RowCells(1), c => c.Text == TeacherWorkbook.UnpaidHeader);

        Assert.Equal(0, (await host.RunAsync("import-payments", Xlsx(host.File("export.xlsx"), [Paid("T1", 1), Paid("T2", 2, "10"), Paid("T5", 5)]))).Exit);
        var model = await builder.BuildAsync("teacher-digest", "wang@example.edu.cn", "王老师", "{}");
        var templates = app.Services.GetRequiredService<MailTemplates>();
        var html = (await templates.RenderAsync("teacher-digest", model.Values)).Html;
        Assert.Contains("未缴费 Unpaid: 4 人未缴清 15 元采集费", html); // students 2, 3, 4, 6 of the teacher's six

        var file = host.File("teacher.xlsx");
        await File.WriteAllBytesAsync(file, model.Attachments[0].Content);
        var roster = WorkbookView.Open(file);
        var summary = roster.Sheet("汇总 Summary");
        Assert.Equal(TeacherWorkbook.UnpaidHeader, summary.Text(3, 10));
        Assert.Equal(3, summary.Cell(4, 10).Int); // 20级计算机1班: 2, 3, 4
        var sheet = ClassSheet(roster);
        Assert.Equal(TeacherWorkbook.UnpaidHeader, sheet.Text(1, 14));
        string Unpaid(int i) => sheet.Text(sheet.Find(TestStudent.Make(i).StudentNumber).Row, 14);
        Assert.Equal("", Unpaid(1));
        Assert.Equal("未缴足：已缴 10 元，差 5 元 / partial: 10 of 15 yuan paid", Unpaid(2));
        Assert.Equal("未缴费 unpaid", Unpaid(3));
    }

    /// <summary>The first class sheet: neither the summary nor the corrections sheet.</summary>
    private static WorksheetView ClassSheet(WorkbookView wb) =>
        wb.Sheets.First(w => w.Name != "汇总 Summary" && !w.Name.StartsWith("信息核对", StringComparison.Ordinal));

    [Fact]
    public async Task The_report_shows_expected_received_missing_refunded_and_the_payments_kept_aside()
    {
        using var host = new TestHost();
        await RosterAsync(host);
        Assert.Equal(0, (await host.RunAsync("import-payments", Csv(host.File("p.csv"),
            [Paid("T1", 1), Paid("T2", 2, "10"), Paid("T3", 3), Paid("T3", 3, status: "已退款"), Paid("T7", 7)], Gb18030))).Exit);

        var result = await host.RunAsync("report");

        Assert.True(result.Exit == 0, result.Err);
        var page = await File.ReadAllTextAsync(result.Out.Trim());
        Assert.Contains("<section id=\"fees\">", page);
        Assert.Contains("<b>90 元</b>应收", page);      // 6 eligible × 15
        Assert.Contains("<b>25 元</b>已收", page);      // 15 + 10
        Assert.Contains("<b>65 元</b>未收", page);      // 5 + 4 × 15
        Assert.Contains("<b>15 元</b>已退款", page);
        Assert.Contains("<td data-k=\"paid\">1</td><td data-k=\"unpaid\">3</td>", page);
        Assert.Contains("<td class=\"text\">T7</td>", page);
        Assert.Contains("该学生不在本次采集对象内", page);
    }

    [Fact]
    public async Task The_export_manifest_lists_who_is_approved_but_unpaid_and_exports_them_all_the_same()
    {
        using var host = new TestHost();
        await RosterAsync(host);
        foreach (var i in new[] { 1, 2, 3 }) await ExportTests.SubmitAsync(host, i, "approved");
        Assert.Equal(0, (await host.RunAsync("import-payments", Xlsx(host.File("p.xlsx"), [Paid("T1", 1), Paid("T2", 2, "10")]))).Exit);

        var result = await host.RunAsync("export-approved");

        Assert.True(result.Exit == 0, result.Err);
        Assert.Contains("2 approved student(s) have not fully paid the fee", result.Err);
        Assert.Equal(3, Directory.GetFiles(Path.Combine(host.DataDirectory, "export"), "*.jpg", SearchOption.AllDirectories).Length);
        var ws = WorkbookView.Open(Path.Combine(host.DataDirectory, "export", "manifest.xlsx")).Sheet("通过未缴费 Approved unpaid");
        Assert.Equal(3, ws.LastRow);
        Assert.Equal(TestStudent.Make(2).StudentNumber, ws.Text(2, 2));
        Assert.Contains("差 5 元", ws.Text(2, 6));
        Assert.Equal(TestStudent.Make(3).StudentNumber, ws.Text(3, 2));
        Assert.Equal("未缴费 unpaid", ws.Text(3, 6));
        Assert.Equal(0, (await host.RunAsync("verify-export", Path.Combine(host.DataDirectory, "export"))).Exit);
    }

    [Fact]
    public async Task A_students_history_shows_their_payments_and_refunds()
    {
        using var host = new TestHost();
        await RosterAsync(host);
        Assert.Equal(0, (await host.RunAsync("import-payments", Csv(host.File("p.csv"),
            [Paid("T1", 1, at: "2022-05-06 10:30:00"), Paid("T1", 1, "5.00", "部分退款", "2022-05-07 09:00:00"), Paid("T2", 2)], Gb18030))).Exit);

        var result = await host.RunAsync("history", TestStudent.Make(1).StudentNumber, "--json");

        Assert.True(result.Exit == 0, result.Err);
        var events = System.Text.Json.JsonDocument.Parse(result.Out).RootElement.GetProperty("events").EnumerateArray().ToList();
        var paid = events.Single(e => e.GetProperty("kind").GetString() == "payment");
        Assert.Equal("缴费 15 元（交易号 T1）", paid.GetProperty("zh").GetString());
        Assert.Equal("2022-05-06T10:30:00+08:00", paid.GetProperty("at").GetString());
        var refund = events.Single(e => e.GetProperty("kind").GetString() == "refund");
        Assert.Equal("refunded 5 yuan (transaction T1)", refund.GetProperty("en").GetString());
        Assert.DoesNotContain(events, e => e.GetProperty("zh").GetString()!.Contains("T2"));
    }

    [Fact]
    public async Task Purging_personal_data_also_clears_the_id_numbers_of_payments_and_the_inbox_folders()
    {
        using var host = new TestHost();
        await RosterAsync(host);
        var id = TestStudent.Make(1).NationalId;
        Assert.Equal(0, (await host.RunAsync("import-payments", Csv(host.File("p.csv"),
            [["T1", id, "15", "2022-05-06 10:00", "支付成功"]], Gb18030, headers: ["交易号", "身份证号", "金额", "支付时间", "状态"]))).Exit);
        var processed = Path.Combine(host.DataDirectory, "payments-inbox", "processed", "old.csv");
        await File.WriteAllTextAsync(processed, id);

        var purge = await host.RunAsync("purge", "--force");

        Assert.True(purge.Exit == 0, purge.Err);
        await using var c = await OpenAsync(host);
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(c, "SELECT count(*) FROM payments WHERE national_id = @id", new { id }));
        Assert.False(File.Exists(processed));
    }
}
