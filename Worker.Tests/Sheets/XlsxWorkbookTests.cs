using CollectionWorker.Payments;
using CollectionWorker.Sheets;
using CollectionWorker.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Tests.Sheets;

/// <summary>
/// #15: the workbook writer that replaced ClosedXML. Each test writes a real .xlsx and looks at what is in the FILE
/// (through the Open XML SDK and the product's own streaming reader), never at writer objects.
/// </summary>
public class XlsxWorkbookTests
{
    [Fact]
    public void Text_stays_text_reads_back_as_written_and_the_file_passes_the_validator()
    {
        var wb = new XlsxWorkbook();
        var ws = wb.AddSheet("名单 Roster");
        string[] texts = ["001234", "=HYPERLINK(\"x\")", "-5", "line one\nline two", "  spaced  ", "bell\u0007here", "_x0041_ literal", "学生"];
        for (var i = 0; i < texts.Length; i++) ws.Text(i + 1, 1, texts[i]);
        ws.Number(1, 2, 71.4 / 100, "0.0%");
        ws.Date(2, 2, new DateTime(2022, 5, 6, 9, 12, 0));
        var bytes = wb.ToBytes();

        Assert.Empty(Workbooks.ValidationErrors(bytes));
        using var read = XlsxCells.Open(new MemoryStream(bytes));
        var sheet = read.Read("名单 Roster")!;
        Assert.Equal(texts, Enumerable.Range(1, texts.Length).Select(r => sheet.Text(r, 1)).ToArray());
        Assert.All(Enumerable.Range(1, texts.Length), r => Assert.Equal(XlsxKind.Text, sheet.Row(r)!.Cell(1)!.Kind));
        Assert.Equal("71.4%", sheet.Text(1, 2));
        Assert.Equal("2022-05-06 09:12:00", sheet.Text(2, 2));

        // A formula-looking text carries Excel's quote prefix, so editing the cell does not turn it into a formula.
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var formats = document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<X.CellFormat>().ToList();
        var cells = Cells(document, "名单 Roster");
        Assert.True(formats[(int)cells["A2"].StyleIndex!.Value].QuotePrefix?.Value);
        Assert.Null(cells["A1"].StyleIndex);
    }

    [Fact]
    public void Protection_dropdowns_hidden_parts_frozen_header_and_print_setup_are_in_the_file()
    {
        var wb = new XlsxWorkbook();
        var lists = wb.AddSheet("_lists");
        lists.Text(1, 1, "甲");
        lists.Text(2, 1, "乙");
        lists.Visibility = SheetVisibility.Hidden;
        var ws = wb.AddSheet("表 Sheet");
        SheetWriting.Header(ws, 1, "学号 StudentNumber", "决定 Decision", "原因 Reasons", "Key");
        for (var r = 2; r <= 4; r++)
        {
            ws.Text(r, 1, $"00{r}");
            ws.Text(r, 4, $"K-{r}");
        }
        ws.Style(2, 2, 4, 3, s => s with { Locked = false, Fill = "#FFF2CC" });
        ws.ListValidation(2, 2, 4, 2, "\"通过,不通过\"", ValidationAlert.Stop, "决定 Decision", "请选择 / choose");
        ws.ListValidation(2, 3, 4, 3, "'_lists'!$A$1:$A$2", ValidationAlert.Information);
        ws.HideColumn(4);
        SheetWriting.Finish(ws, 1, 4, 4);
        ws.Protect(SheetAllow.AutoFilter | SheetAllow.FormatColumns);
        var identity = wb.AddSheet("_identity");
        identity.Text(1, 1, "teacher@example.edu.cn");
        identity.Visibility = SheetVisibility.VeryHidden;
        identity.Protect();
        wb.ActiveSheet = ws;
        wb.CustomProperties["CollectionWorker.Sheet"] = "7";
        var bytes = wb.ToBytes();

        Assert.Empty(Workbooks.ValidationErrors(bytes));
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var entries = workbook.Workbook.Sheets!.Elements<X.Sheet>().ToDictionary(s => s.Name!.Value!);
        Assert.Equal(X.SheetStateValues.Hidden, entries["_lists"].State!.Value);
        Assert.Equal(X.SheetStateValues.VeryHidden, entries["_identity"].State!.Value);
        Assert.Null(entries["表 Sheet"].State);
        Assert.Equal(1u, workbook.Workbook.BookViews!.GetFirstChild<X.WorkbookView>()!.ActiveTab!.Value);

        var part = (WorksheetPart)workbook.GetPartById(entries["表 Sheet"].Id!);
        var sheet = part.Worksheet;
        var protection = sheet.GetFirstChild<X.SheetProtection>()!;
        Assert.True(protection.Sheet!.Value);
        Assert.Null(protection.Password);
        Assert.False(protection.AutoFilter!.Value);     // "0": allowed to everyone
        Assert.False(protection.FormatColumns!.Value);
        Assert.Null(protection.FormatRows);              // default: protected
        var formats = workbook.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<X.CellFormat>().ToList();
        bool Locked(string address) => Cells(document, "表 Sheet")[address].StyleIndex is not { } s
                                       || formats[(int)s.Value].Protection?.Locked?.Value != false;
        Assert.False(Locked("B2"));
        Assert.False(Locked("C4"));
        Assert.True(Locked("A2"));
        Assert.True(Locked("D3"));

        var validations = sheet.GetFirstChild<X.DataValidations>()!.Elements<X.DataValidation>().ToList();
        Assert.Equal(new[] { "B2:B4", "C2:C4" }, validations.Select(v => v.SequenceOfReferences!.InnerText ?? "").ToArray());
        Assert.Equal("\"通过,不通过\"", validations[0].Formula1!.Text);
        Assert.Equal(X.DataValidationErrorStyleValues.Information, validations[1].ErrorStyle!.Value);
        Assert.True(sheet.GetFirstChild<X.Columns>()!.Elements<X.Column>().Single(c => c.Min!.Value == 4).Hidden!.Value);
        var pane = sheet.Descendants<X.Pane>().Single();
        Assert.Equal((1.0, X.PaneStateValues.Frozen), (pane.VerticalSplit!.Value, pane.State!.Value));
        Assert.Equal("A1:D4", sheet.GetFirstChild<X.AutoFilter>()!.Reference!.Value);
        var setup = sheet.GetFirstChild<X.PageSetup>()!;
        Assert.Equal((X.OrientationValues.Landscape, 1u, 0u), (setup.Orientation!.Value, setup.FitToWidth!.Value, setup.FitToHeight!.Value));
        var names = workbook.Workbook.DefinedNames!.Elements<X.DefinedName>().Select(n => (n.Name!.Value, n.Text)).ToList();
        Assert.Contains(("_xlnm.Print_Titles", "'表 Sheet'!$1:$1"), names);
        Assert.Contains(("_xlnm._FilterDatabase", "'表 Sheet'!$A$1:$D$4"), names);

        using var read = XlsxCells.Open(new MemoryStream(bytes));
        Assert.Equal("7", read.CustomProperties()["CollectionWorker.Sheet"]);
    }

    [Fact]
    public void Pictures_are_one_jpeg_image_part_and_one_cell_anchor_each()
    {
        byte[] jpeg;
        using (var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(12, 16))
        using (var buffer = new MemoryStream())
        {
            SixLabors.ImageSharp.ImageExtensions.SaveAsJpeg(image, buffer);
            jpeg = buffer.ToArray();
        }
        var wb = new XlsxWorkbook();
        var ws = wb.AddSheet("照片 Photos");
        ws.Text(1, 1, "照片 Photo");
        ws.Picture(2, 1, "photo-1", jpeg, 120, 160);
        ws.Picture(3, 2, "evidence-1", jpeg, 100, 150);
        var file = Path.Combine(Path.GetTempPath(), $"xlsx-pictures-{Guid.NewGuid():N}.xlsx");
        try
        {
            wb.SaveAs(path: file);
            Assert.False(File.Exists(file + ".tmp"));
            Assert.Empty(Workbooks.ValidationErrors(file));
            Assert.Equal(2, Workbooks.ImageParts(file));
            var pictures = Workbooks.Pictures(file, "照片 Photos");
            Assert.Equal([("photo-1", 2, 1, 120, 160), ("evidence-1", 3, 2, 100, 150)],
                pictures.Select(p => (p.Name, p.Row, p.Column, p.WidthPx, p.HeightPx)).ToArray());
            Assert.All(pictures, p => Assert.Equal(("oneCellAnchor", "image/jpeg"), (p.Anchor, p.ContentType)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Typing_into_a_saved_workbook_keeps_the_cell_style_and_the_rest_of_the_package()
    {
        var wb = new XlsxWorkbook();
        var ws = wb.AddSheet("表 Sheet");
        ws.Text(1, 1, "审核人 Reviewer");
        ws.Style(1, 2, s => s with { Locked = false, Fill = "#FFF2CC" });
        ws.Text(3, 1, "x");
        ws.Protect();
        var file = Path.Combine(Path.GetTempPath(), $"xlsx-fill-{Guid.NewGuid():N}.xlsx");
        try
        {
            wb.SaveAs(file);
            XlsxFill.Texts(file, "表 Sheet", [(1, 2, "张师傅"), (2, 3, "通过"), (3, 3, "备注"), (5, 1, "新")]);

            Assert.Empty(Workbooks.ValidationErrors(file));
            using (var read = XlsxCells.Open(file))
            {
                var sheet = read.Read("表 Sheet")!;
                Assert.Equal(("张师傅", "通过", "x", "备注", "新"), (sheet.Text(1, 2), sheet.Text(2, 3), sheet.Text(3, 1), sheet.Text(3, 3), sheet.Text(5, 1)));
            }
            using var document = SpreadsheetDocument.Open(file, false);
            var reviewer = Cells(document, "表 Sheet")["B1"];
            var format = document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.CellFormats!.Elements<X.CellFormat>().ElementAt((int)reviewer.StyleIndex!.Value);
            Assert.False(format.Protection!.Locked!.Value);
            Assert.NotNull(((WorksheetPart)document.WorkbookPart.GetPartById(document.WorkbookPart.Workbook.Sheets!.Elements<X.Sheet>().Single().Id!))
                .Worksheet.GetFirstChild<X.SheetProtection>());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_payment_error_workbook_passes_the_validator_and_marks_the_bad_row()
    {
        var sheet = PaymentSheet.FromTable([(1, ["交易号", "学号", "姓名", "金额", "支付时间"]), (2, ["P001", "2020000001", "学生1", "120.00", "2022-05-06 09:00"]),
            (3, ["P002", "0020000002", "学生2", "abc", "2022-05-06 10:00"])], "xlsx");
        Assert.Equal(2, sheet.Rows.Count);
        var file = Path.Combine(Path.GetTempPath(), $"payments-{Guid.NewGuid():N}.errors.xlsx");
        try
        {
            PaymentErrorWorkbook.Write(file, sheet, [new PaymentProblem(3, "D (金额 Amount)", "金额不是数字", "the amount is not a number"), new PaymentProblem(null, null, "整个文件", "whole file")]);
            Assert.Empty(Workbooks.ValidationErrors(file));
            using var read = XlsxCells.Open(file);
            var errors = read.Read("错误 Errors")!;
            Assert.Equal("0020000002", errors.Text(3, 2));
            Assert.Equal("错误 Errors", errors.Text(1, 6));
            Assert.Contains("金额不是数字 / the amount is not a number", errors.Text(3, 6));
            Assert.Equal("", errors.Text(2, 6));
            Assert.Equal("3", errors.Text(3, 7));
            Assert.Equal("whole file", read.Read("文件 File")!.Text(2, 3));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Dictionary<string, X.Cell> Cells(SpreadsheetDocument document, string sheetName)
    {
        var workbook = document.WorkbookPart!;
        var entry = workbook.Workbook.Sheets!.Elements<X.Sheet>().Single(s => s.Name == sheetName);
        return ((WorksheetPart)workbook.GetPartById(entry.Id!)).Worksheet.Descendants<X.Cell>().ToDictionary(c => c.CellReference!.Value!);
    }
}
