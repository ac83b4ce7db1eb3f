using DocumentFormat.OpenXml.Packaging;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Sheets;

/// <summary>
/// Types text into cells of a saved workbook, as a person filling it in Excel would: each cell keeps its
/// style (an unlocked yellow cell stays so), everything else in the package (pictures, protection,
/// dropdowns, hidden sheets) is left as it is. For the demo's filled-in sheets and the benchmarks; the
/// product never edits a workbook it has sent.
/// </summary>
public static class XlsxFill
{
    /// <summary>Writes each (row, column, text) on the sheet named <paramref name="sheetName"/> of the workbook at <paramref name="path"/>.</summary>
    public static void Texts(string path, string sheetName, IEnumerable<(int Row, int Column, string Text)> cells)
    {
        using var document = SpreadsheetDocument.Open(path, true);
        var workbook = document.WorkbookPart ?? throw new InvalidDataException($"{path}: no workbook part");
        var entry = workbook.Workbook.Sheets?.Elements<X.Sheet>().FirstOrDefault(s => s.Name?.Value == sheetName)
                    ?? throw new ArgumentException($"{path}: no sheet '{sheetName}'", nameof(sheetName));
        var worksheet = ((WorksheetPart)workbook.GetPartById(entry.Id!.Value!)).Worksheet;
        var data = worksheet.GetFirstChild<X.SheetData>() ?? throw new InvalidDataException($"{path}: sheet '{sheetName}' has no cell data");
        var rows = data.Elements<X.Row>().Where(r => r.RowIndex is not null).ToDictionary(r => (int)r.RowIndex!.Value);
        foreach (var (row, column, text) in cells)
        {
            if (!rows.TryGetValue(row, out var rowElement))
            {
                rowElement = new X.Row { RowIndex = (uint)row };
                data.InsertBefore(rowElement, data.Elements<X.Row>().FirstOrDefault(r => r.RowIndex?.Value > row));
                rows[row] = rowElement;
            }
            var address = XlsxWorksheet.Address(row, column);
            var cell = rowElement.Elements<X.Cell>().FirstOrDefault(c => c.CellReference?.Value == address);
            if (cell is null)
            {
                cell = new X.Cell { CellReference = address };
                rowElement.InsertBefore(cell, rowElement.Elements<X.Cell>()
                    .FirstOrDefault(c => c.CellReference?.Value is { } r && XlsxWorksheet.Position(r).Column > column));
            }
            cell.RemoveAllChildren();
            cell.DataType = X.CellValues.InlineString;
            cell.Append(new X.InlineString(new X.Text(text) { Space = DocumentFormat.OpenXml.SpaceProcessingModeValues.Preserve }));
        }
        worksheet.Save();
    }
}
