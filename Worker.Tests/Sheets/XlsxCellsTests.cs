using CollectionWorker.Review;
using CollectionWorker.Sheets;
using CollectionWorker.Tests.Review;
using CollectionWorker.Tests.Support;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Tests.Sheets;

/// <summary>The streamed reader (<see cref="XlsxCells"/>) sees cells as a person does, and never loads pictures.</summary>
public class XlsxCellsTests
{
    [Fact]
    public void Cells_read_as_shown_rich_text_without_its_phonetic_guide_inline_text_leading_zeros_dates_formulas_and_booleans()
    {
        using var dir = new TempDirectory();
        var file = dir.File("cells.xlsx");
        using (var document = SpreadsheetDocument.Create(file, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new X.Workbook(new X.Sheets(new X.Sheet { Name = "名单", SheetId = 1, Id = "rIdSheet" }));
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new X.SharedStringTable(
                new X.SharedStringItem(new X.Run(new X.Text("王")), new X.Run(new X.Text("伟")),
                    new X.PhoneticRun(new X.Text("wáng wěi")) { BaseTextStartIndex = 0, EndingBaseIndex = 2 }),
                new X.SharedStringItem(new X.Text(" 2020级 ")));
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new X.Stylesheet(
                new X.NumberingFormats(new X.NumberingFormat { NumberFormatId = 164, FormatCode = "000000" }),
                new X.Fonts(new X.Font()), new X.Fills(new X.Fill()), new X.Borders(new X.Border()),
                new X.CellFormats(new X.CellFormat(), new X.CellFormat { NumberFormatId = 164, ApplyNumberFormat = true },
                    new X.CellFormat { NumberFormatId = 14, ApplyNumberFormat = true }));
            var sheet = workbook.AddNewPart<WorksheetPart>("rIdSheet");
            X.Cell Cell(string reference, string? value, X.CellValues? type = null, uint? style = null, string? formula = null)
            {
                var cell = new X.Cell { CellReference = reference, DataType = type.HasValue ? new EnumValue<X.CellValues>(type.Value) : null, StyleIndex = style };
                if (formula is not null) cell.Append(new X.CellFormula(formula));
                if (value is not null) cell.Append(new X.CellValue(value));
                return cell;
            }
            var inline = new X.Cell(new X.InlineString(new X.Text("计算机应用技术"))) { CellReference = "B2", DataType = X.CellValues.InlineString };
            sheet.Worksheet = new X.Worksheet(new X.SheetData(
                new X.Row(Cell("A1", "0", X.CellValues.SharedString), Cell("C1", "1", X.CellValues.SharedString)) { RowIndex = 1 },
                new X.Row(Cell("A2", "1234", style: 1), inline, Cell("C2", "37257", style: 2), Cell("D2", "12.5")) { RowIndex = 2 },
                new X.Row(Cell("A4", "通过", X.CellValues.String, formula: "\"通\"&\"过\""), Cell("B4", "1", X.CellValues.Boolean),
                    Cell("C4", "#N/A", X.CellValues.Error, formula: "NA()"), Cell("D4", null)) { RowIndex = 4 }),
                new X.MergeCells(new X.MergeCell { Reference = "A6:C6" }));
        }

        using var cells = XlsxCells.Open(file);
        var ws = cells.Read("名单")!;
        Assert.Equal("王伟", ws.Text(1, 1)); // the runs joined, the pinyin guide left out
        Assert.Equal(" 2020级 ", ws.Text(1, 3));
        Assert.Equal("001234", ws.Text(2, 1)); // the format's leading zeros
        Assert.Equal(1234, ws.Row(2)!.Cell(1)!.Number);
        Assert.Equal("计算机应用技术", ws.Text(2, 2));
        Assert.Equal((XlsxKind.Date, "2002-01-01"), (ws.Row(2)!.Cell(3)!.Kind, ws.Text(2, 3)));
        Assert.Equal("12.5", ws.Text(2, 4));
        Assert.Equal(("通过", "\"通\"&\"过\""), (ws.Text(4, 1), ws.Row(4)!.Cell(1)!.Formula));
        Assert.Equal("TRUE", ws.Text(4, 2));
        Assert.Equal((XlsxKind.Error, "#N/A"), (ws.Row(4)!.Cell(3)!.Kind, ws.Text(4, 3)));
        Assert.Null(ws.Row(4)!.Cell(4)); // a cell without a value is no cell
        Assert.Null(ws.Row(3));
        Assert.Equal(4, ws.LastColumn);
        Assert.Equal(["A6:C6"], ws.MergedRanges);
    }

    [Fact]
    public async Task A_review_sheet_full_of_large_pictures_is_read_without_loading_them()
    {
        using var world = await ReviewWorld.CreateAsync(students: 2);
        await world.SubmitAsync(1);
        var sheet = await world.ExportAsync();
        var pictures = Workbooks.Pictures(sheet, ReviewSheetLayout.PendingSheet);
        // 400 more pictures of 100 KB each (noise does not compress): 40 MB of images beside a few cells.
        var noise = new byte[100_000];
        new Random(7).NextBytes(noise);
        var jpeg = pictures[0].Image.Concat(noise).ToArray();
        var big = world.Host.File("big.xlsx");
        using (var output = new FileStream(big, FileMode.Create))
        {
            using var package = new MemoryStream();
            using (var input = File.OpenRead(sheet)) input.CopyTo(package);
            SheetPictures.Add(package, Enumerable.Range(0, 400)
                .Select(i => new SheetPicture(ReviewSheetLayout.PendingSheet, 10 + i, 1, $"extra-{i}", jpeg, 120, 160)).ToList());
            package.Position = 0;
            package.CopyTo(output);
        }
        Assert.Equal(400 + pictures.Count + Workbooks.Pictures(sheet, ReviewSheetLayout.AutoRejectedSheet).Count, Workbooks.ImageParts(big));

        ReviewSheetReader.Read(sheet); // warm: the first read loads the code
        var before = GC.GetAllocatedBytesForCurrentThread();
        var content = ReviewSheetReader.Read(big);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ReviewWorld.Number(1), Assert.Single(content.Rows).StudentNumber);
        // The cells are read; the 40 MB of pictures are only streamed through the bomb check, never held.
        Assert.True(allocated < 10_000_000, $"{allocated / 1_000_000.0:0.0} MB allocated reading a sheet of 40 MB of pictures");
    }
}
