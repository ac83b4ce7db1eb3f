using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Tests.Support;

/// <summary>A picture as a workbook stores it: its name, the cell its top-left corner is in, its size and bytes.</summary>
public sealed record StoredPicture(string Name, int Row, int Column, int WidthPx, int HeightPx, byte[] Image, string ContentType, string Anchor);

/// <summary>
/// The pictures and the validity of a saved workbook, read with the Open XML SDK (no System.Drawing);
/// its cells, styles and settings are in <see cref="WorkbookView"/>.
/// </summary>
public static class Workbooks
{
    /// <summary>The pictures on one sheet, in the order the drawing lists them.</summary>
    public static List<StoredPicture> Pictures(string file, string sheet)
    {
        using var document = SpreadsheetDocument.Open(file, false);
        var workbook = document.WorkbookPart!;
        var entry = workbook.Workbook.Sheets!.Elements<X.Sheet>().Single(s => s.Name?.Value == sheet);
        var part = (WorksheetPart)workbook.GetPartById(entry.Id!.Value!);
        if (part.DrawingsPart?.WorksheetDrawing is not { } drawing) return [];
        var result = new List<StoredPicture>();
        foreach (var anchor in drawing.ChildElements)
        {
            var from = anchor.GetFirstChild<Xdr.FromMarker>();
            var picture = anchor.GetFirstChild<Xdr.Picture>();
            if (from is null || picture is null) continue;
            var blip = picture.BlipFill!.Blip!.Embed!.Value!;
            var image = (ImagePart)part.DrawingsPart.GetPartById(blip);
            using var stream = image.GetStream();
            var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            var extents = picture.ShapeProperties?.Transform2D?.Extents;
            result.Add(new StoredPicture(
                picture.NonVisualPictureProperties!.NonVisualDrawingProperties!.Name!.Value!,
                int.Parse(from.RowId!.Text) + 1, int.Parse(from.ColumnId!.Text) + 1,
                (int)((extents?.Cx?.Value ?? 0) / 9525), (int)((extents?.Cy?.Value ?? 0) / 9525),
                bytes.ToArray(), image.ContentType, anchor.LocalName));
        }
        return result;
    }

    /// <summary>How many image parts the whole package holds.</summary>
    public static int ImageParts(string file)
    {
        using var document = SpreadsheetDocument.Open(file, false);
        return document.WorkbookPart!.WorksheetParts.Sum(w => w.DrawingsPart?.ImageParts.Count() ?? 0);
    }

    /// <summary>What the Open XML SDK's validator finds wrong (Office 2016 rules), one line each.</summary>
    public static List<string> ValidationErrors(string file)
    {
        using var document = SpreadsheetDocument.Open(file, false);
        var validator = new OpenXmlValidator(DocumentFormat.OpenXml.FileFormatVersions.Office2016);
        return validator.Validate(document)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}")
            .ToList();
    }

    public static List<string> ValidationErrors(byte[] workbook)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cw-validate-{Guid.NewGuid():N}.xlsx");
        File.WriteAllBytes(file, workbook);
        try
        {
            return ValidationErrors(file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
