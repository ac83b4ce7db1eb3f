using CollectionWorker.Sheets;
using CollectionWorker.Notifications;
using CollectionWorker.Store;
using CollectionWorker.Tests.Review;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CollectionWorker.Tests.Notifications;

/// <summary>#19 item 8: every workbook people open prints on A4 landscape one page wide with its header on each page, and reads without cut-off text.</summary>
public class WorkbookLayoutTests
{
    /// <summary>Reads the page setup back as Excel or LibreOffice will, from the saved file.</summary>
    private static void AssertPrintsWell(WorksheetView ws, int headerRow)
    {
        var page = ws.Page;
        Assert.Equal(PageView.A4, page.PaperSize);
        Assert.True(page.Landscape, $"{ws.Name}: portrait");
        Assert.True(page.FitToPage, $"{ws.Name}: not scaled to fit");
        Assert.Equal(1, page.FitToWidth);
        Assert.Equal(0, page.FitToHeight); // as many pages tall as needed
        Assert.Equal((1, headerRow), page.RepeatRows);
    }

    /// <summary>Every cell of the column fits (CJK double) unless the column is at its bound, where the text wraps in a row tall enough.</summary>
    private static void AssertFits(WorksheetView ws, int column, int fromRow, double bound = SheetWriting.MaxColumnWidth)
    {
        var width = ws.Column(column).Width;
        Assert.InRange(width, SheetWriting.MinColumnWidth, bound);
        for (var r = fromRow; r <= ws.LastRow; r++)
        {
            var text = ws.Text(r, column);
            if (text.Length == 0) continue;
            var widest = text.Split('\n').Max(TextWidth.Of);
            if (widest + 1 <= width && !text.Contains('\n')) continue;
            Assert.True(ws.Cell(r, column).Style.Wrap, $"{ws.Name}!{ws.Cell(r, column).Address}: '{text}' is wider than its column {width} and not wrapped");
            Assert.True(ws.RowHeight(r) >= SheetWriting.LinesFor(text, width) * 15,
                $"{ws.Name}!{ws.Cell(r, column).Address}: row {ws.RowHeight(r)} pt is too short for {SheetWriting.LinesFor(text, width)} lines");
        }
    }

    [Fact]
    public async Task The_review_sheet_and_its_receipt_print_on_a4_landscape_one_page_wide_with_the_header_repeated()
    {
        using var world = await ReviewWorld.CreateAsync(students: 3);
        for (var i = 1; i <= 3; i++) await world.SubmitAsync(i);
        var sheet = await world.ExportAsync();
        {
            var wb = WorkbookView.Open(sheet);
            foreach (var name in new[] { CollectionWorker.Review.ReviewSheetLayout.PendingSheet, CollectionWorker.Review.ReviewSheetLayout.AutoRejectedSheet })
                AssertPrintsWell(wb.Sheet(name), CollectionWorker.Review.ReviewSheetLayout.HeaderRow);
            var pending = wb.Sheet(CollectionWorker.Review.ReviewSheetLayout.PendingSheet);
            var number = ReviewWorld.Column(pending, CollectionWorker.Review.ReviewSheetLayout.StudentNumber);
            Assert.True(pending.Column(number).Width >= TextWidth.Of("2020000001") + 1); // student numbers whole
            AssertFits(pending, number, CollectionWorker.Review.ReviewSheetLayout.FirstDataRow);
            AssertFits(pending, 10, CollectionWorker.Review.ReviewSheetLayout.FirstDataRow); // the flags, wrapped
            // Narrow enough to stay readable on one landscape page: the visible columns add up to at most ~210 characters.
            Assert.InRange(Enumerable.Range(1, 13).Sum(c => pending.Column(c).Width), 100, 215);
            // The instructions are wrapped in a row tall enough for both languages.
            Assert.True(pending.RowHeight(CollectionWorker.Review.ReviewSheetLayout.InstructionsRow) >= 3 * 15);
        }

        var filled = world.Fill(sheet, "filled.xlsx", "张师傅", (CollectionWorker.Review.ReviewSheetLayout.PendingSheet, 1, "也许", "", ""));
        var receipt = (await world.Host.RunAsync("import-review", filled)).Out.Trim();
        var ws = WorkbookView.Open(receipt).Sheet(1);
        AssertPrintsWell(ws, 6);
        AssertFits(ws, 9, 7); // the message
    }

    [Fact]
    public async Task Teacher_and_admin_workbooks_fit_their_columns_and_print_well()
    {
        using var test = new TestHost();
        await NotificationTestData.ImportAsync(test);
        await NotificationTestData.SubmitAsync(test, "2020000002", SubmissionState.Rejected,
            "背景有阴影；头发遮挡眉毛/眼睛/耳朵；备注：请到照相馆重新拍摄，穿深色衣服，背景用白色或浅蓝色，不要戴眼镜，头发不要遮住耳朵", DateTimeOffset.UtcNow.AddHours(30));
        using var host = await test.BuildAsync();
        var students = await host.Services.GetRequiredService<ProgressReport>().StudentsAsync();

        {
            var wb = WorkbookView.Open(host.Services.GetRequiredService<TeacherWorkbook>().Build("王伟", students, false));
            AssertPrintsWell(wb.Sheet(1), 3);
            var cls = wb.Sheet("20级计算机1班");
            AssertPrintsWell(cls, 1);
            for (var c = 1; c <= 12; c++) AssertFits(cls, c, 2);
            Assert.True(cls.Column(9).Width >= 18 + 1); // the (masked) ID number whole
            var reasons = cls.Cell(cls.Find("2020000002").Row, 5);
            Assert.Contains("背景有阴影", reasons.Text);
            Assert.True(reasons.Style.Wrap);
        }

        var data = new AdminReportData(students, [new KeptAsideFile("unmatched", "陌生人.jpg", "no student has this name / 没有学生与此文件名匹配")], [],
            TimeSpan.FromHours(48), []);
        {
            var wb = WorkbookView.Open(host.Services.GetRequiredService<AdminReportWorkbook>().Build(data));
            AssertPrintsWell(wb.Sheet(1), 3);
            foreach (var ws in wb.Sheets.Skip(1)) AssertPrintsWell(ws, 1);
            for (var c = 1; c <= 11; c++) AssertFits(wb.Sheet(1), c, 4);
        }
    }

    [Fact]
    public async Task The_roster_error_workbook_shows_id_numbers_whole_and_wraps_errors_in_tall_enough_rows()
    {
        using var test = new TestHost();
        var students = Enumerable.Range(1, 3).Select(i => TestStudent.Make(i)).ToList();
        students[1] = students[1] with { TeacherEmail = "not-an-email", NationalId = students[1].NationalId[..17] + (students[1].NationalId[17] == '1' ? "2" : "1") };
        var roster = RosterBuilder.Write(test.File("roster.xlsx"), students);
        Assert.Equal(1, (await test.RunAsync("import-roster", roster)).Exit);

        var wb = WorkbookView.Open(test.File("roster.errors.xlsx"));
        var ws = wb.Sheet("错误 Errors");
        AssertPrintsWell(ws, 1);
        Assert.True(ws.Column(4).Width >= 18 + 1, $"ID column {ws.Column(4).Width} wide"); // 身份证号: 18 characters, not cut
        for (var c = 1; c <= 14; c++) AssertFits(ws, c, 2);
        var error = ws.Cell(3, 13);
        Assert.Contains("TeacherEmail", error.Text);
        Assert.True(error.Style.Wrap);
        Assert.True(ws.RowHeight(3) > 15); // two problems, each on its own wrapped line, inside its own row
        AssertPrintsWell(wb.Sheet("文件 File"), 1);
    }

    [Fact]
    public async Task The_corrections_sheet_receipt_and_consolidated_workbook_fit_their_columns_and_print_well()
    {
        using var world = await CollectionWorker.Tests.Corrections.CorrectionsWorld.CreateAsync();
        var roster = await world.TeacherRosterAsync(CollectionWorker.Tests.Corrections.CorrectionsWorld.Wang, "wang.xlsx");
        {
            var ws = WorkbookView.Open(roster).Sheet(2);
            Assert.Equal(CorrectionSheetLayout.SheetName, ws.Name); // right after the summary
            AssertPrintsWell(ws, CorrectionSheetLayout.HeaderRow);
            for (var c = 1; c < CorrectionSheetLayout.KeyColumn; c++) AssertFits(ws, c, CorrectionSheetLayout.HeaderRow); // the bilingual headers too
            Assert.True(ws.Column(CorrectionSheetLayout.CorrectionColumn(DiplomaField.NationalId)).Width >= 18 + 1); // room for the whole ID typed in
            Assert.True(ws.RowHeight(CorrectionSheetLayout.InstructionsRow) >= 4 * 15);
        }
        world.Fill(roster, "back.xlsx", wb =>
        {
            world.Correct(wb, 1, DiplomaField.Name, "张三丰");
            world.Correct(wb, 2, DiplomaField.Gender, "男");
        });
        await world.ScanAsync();
        {
            var ws = WorkbookView.Open(world.OnlyReceipt()).Sheet(1);
            AssertPrintsWell(ws, 8);
            for (var c = 1; c <= 8; c++) AssertFits(ws, c, 9);
        }
        {
            var ws = WorkbookView.Open(world.Paths.CorrectionsWorkbook).Sheet(1);
            AssertPrintsWell(ws, 3);
            for (var c = 1; c <= 12; c++) AssertFits(ws, c, 4);
        }
    }
}
