using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using A = DocumentFormat.OpenXml.Drawing;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Sheets;

/// <summary>A JPEG to place in a cell: its top-left corner at (<paramref name="Row"/>, <paramref name="Column"/>) plus an offset, shown at its own pixel size.</summary>
public sealed record SheetPicture(string Sheet, int Row, int Column, string Name, byte[] Jpeg, int WidthPx, int HeightPx, int OffsetPx = 4);

/// <summary>
/// Puts pictures into a saved workbook with the Open XML SDK: one image part per picture, one drawing
/// per sheet, each picture a one-cell anchor (it moves with its row and column but keeps its size;
/// LibreOffice keeps one-cell anchors on re-saving, where it dropped ClosedXML's two-cell ones). The
/// sizes are given, never measured: nothing here touches System.Drawing or libgdiplus.
/// </summary>
public static class SheetPictures
{
    private const long EmuPerPixel = 9525; // 914,400 EMU per inch at 96 pixels per inch

    /// <summary>
    /// Adds <paramref name="pictures"/> to a saved workbook in <paramref name="package"/> (readable, writable,
    /// seekable). The sheets are found by name. (<see cref="XlsxWorkbook"/> puts its pictures in as it saves.)
    /// </summary>
    public static void Add(Stream package, IReadOnlyCollection<SheetPicture> pictures)
    {
        if (pictures.Count == 0) return;
        using var document = SpreadsheetDocument.Open(package, true);
        var workbook = document.WorkbookPart!;
        foreach (var group in pictures.GroupBy(p => p.Sheet))
        {
            var sheet = workbook.Workbook.Sheets!.Elements<X.Sheet>().FirstOrDefault(s => s.Name?.Value == group.Key)
                        ?? throw new ArgumentException($"no sheet '{group.Key}' to put pictures on");
            var worksheetPart = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var drawingId = AddDrawing(worksheetPart, group);
            if (!worksheetPart.Worksheet.Elements<X.Drawing>().Any())
                PlaceDrawing(worksheetPart.Worksheet, new X.Drawing { Id = drawingId });
            worksheetPart.Worksheet.Save();
        }
    }

    /// <summary>
    /// Puts the pictures into the worksheet part's drawing (made when it has none): one JPEG image part and one
    /// one-cell anchor each. Returns the drawing's relationship id, for the worksheet's &lt;drawing r:id&gt;.
    /// </summary>
    internal static string AddDrawing(WorksheetPart worksheetPart, IEnumerable<SheetPicture> pictures)
    {
        var drawingsPart = worksheetPart.DrawingsPart ?? worksheetPart.AddNewPart<DrawingsPart>();
        if (drawingsPart.WorksheetDrawing is null)
        {
            drawingsPart.WorksheetDrawing = new Xdr.WorksheetDrawing();
            drawingsPart.WorksheetDrawing.AddNamespaceDeclaration("xdr", "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing");
            drawingsPart.WorksheetDrawing.AddNamespaceDeclaration("a", "http://schemas.openxmlformats.org/drawingml/2006/main");
        }
        var drawing = drawingsPart.WorksheetDrawing;
        var id = (uint)drawing.ChildElements.Count + 1;
        foreach (var picture in pictures)
        {
            var imagePart = drawingsPart.AddImagePart(ImagePartType.Jpeg);
            using (var data = new MemoryStream(picture.Jpeg, writable: false)) imagePart.FeedData(data);
            drawing.Append(Anchor(picture, drawingsPart.GetIdOfPart(imagePart), id++));
        }
        drawing.Save();
        return worksheetPart.GetIdOfPart(drawingsPart);
    }

    /// <summary>An image's pixel size, read from its header (nothing decoded); null when it is not an image.</summary>
    public static (int Width, int Height)? SizeOf(byte[] image)
    {
        try
        {
            var info = SixLabors.ImageSharp.Image.Identify(image);
            return info is null ? null : (info.Width, info.Height);
        }
        catch (Exception e) when (e is SixLabors.ImageSharp.UnknownImageFormatException or SixLabors.ImageSharp.InvalidImageContentException
                                       or SixLabors.ImageSharp.ImageFormatException)
        {
            return null;
        }
    }

    private static Xdr.OneCellAnchor Anchor(SheetPicture p, string imageId, uint id)
    {
        long cx = p.WidthPx * EmuPerPixel, cy = p.HeightPx * EmuPerPixel, offset = p.OffsetPx * EmuPerPixel;
        return new Xdr.OneCellAnchor(
            new Xdr.FromMarker(
                new Xdr.ColumnId((p.Column - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Xdr.ColumnOffset(offset.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Xdr.RowId((p.Row - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Xdr.RowOffset(offset.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            new Xdr.Extent { Cx = cx, Cy = cy },
            new Xdr.Picture(
                new Xdr.NonVisualPictureProperties(
                    new Xdr.NonVisualDrawingProperties { Id = id, Name = p.Name },
                    new Xdr.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true })),
                new Xdr.BlipFill(new A.Blip { Embed = imageId }, new A.Stretch(new A.FillRectangle())),
                new Xdr.ShapeProperties(
                    new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                    new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })),
            new Xdr.ClientData());
    }

    /// <summary>The worksheet's drawing reference goes where the schema wants it: before these, or last.</summary>
    private static readonly HashSet<Type> AfterDrawing =
    [
        typeof(X.LegacyDrawing), typeof(X.LegacyDrawingHeaderFooter), typeof(X.DrawingHeaderFooter), typeof(X.Picture), typeof(X.OleObjects),
        typeof(X.Controls), typeof(X.WebPublishItems), typeof(X.TableParts), typeof(X.WorksheetExtensionList),
    ];

    private static void PlaceDrawing(X.Worksheet worksheet, X.Drawing drawing)
    {
        var before = worksheet.ChildElements.FirstOrDefault(e => AfterDrawing.Contains(e.GetType()));
        if (before is null) worksheet.Append(drawing);
        else worksheet.InsertBefore(drawing, before);
    }
}
