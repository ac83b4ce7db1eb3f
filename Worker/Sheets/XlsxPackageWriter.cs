using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.CustomProperties;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.VariantTypes;
using X = DocumentFormat.OpenXml.Spreadsheet;

namespace CollectionWorker.Sheets;

/// <summary>
/// Saves an <see cref="XlsxWorkbook"/> as an .xlsx package with the Open XML SDK: the workbook part
/// (sheets, active tab, the filter and print-title names), one worksheet part per sheet streamed out
/// with <see cref="OpenXmlWriter"/> (cells in row order, then the sheet's settings in the order the
/// schema wants them), the shared strings, the styles, a drawing with the pictures, and the custom
/// properties. Nothing is measured or drawn.
/// </summary>
internal static class XlsxPackageWriter
{
    private const double ColumnPadding = 0.710625;
    private const string RelationshipsNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static void Write(XlsxWorkbook book, Stream output)
    {
        if (book.Sheets.Count == 0) throw new InvalidOperationException("a workbook needs at least one sheet");
        var visible = book.Sheets.Where(s => s.Visibility == SheetVisibility.Visible).ToList();
        if (visible.Count == 0) throw new InvalidOperationException("a workbook needs at least one visible sheet");
        var active = book.ActiveSheet is { Visibility: SheetVisibility.Visible } chosen && book.Sheets.Contains(chosen) ? chosen : visible[0];

        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbookPart = document.AddWorkbookPart();
        var styles = new XlsxStyles();
        var strings = new SharedStrings();
        var sheets = new X.Sheets();
        var names = new X.DefinedNames();
        for (var i = 0; i < book.Sheets.Count; i++)
        {
            var sheet = book.Sheets[i];
            var part = workbookPart.AddNewPart<WorksheetPart>();
            var drawingId = sheet.Pictures.Count > 0 ? SheetPictures.AddDrawing(part, sheet.Pictures) : null;
            WriteWorksheet(part, sheet, ReferenceEquals(sheet, active), styles, strings, drawingId);
            var entry = new X.Sheet { Name = sheet.Name, SheetId = (uint)(i + 1), Id = workbookPart.GetIdOfPart(part) };
            if (sheet.Visibility != SheetVisibility.Visible)
                entry.State = sheet.Visibility == SheetVisibility.Hidden ? X.SheetStateValues.Hidden : X.SheetStateValues.VeryHidden;
            sheets.Append(entry);
            // Excel's names for the filter range and the rows printed on every page.
            if (sheet.Filter is { } filter)
                names.Append(new X.DefinedName($"{Quoted(sheet.Name)}!{Absolute(filter)}") { Name = "_xlnm._FilterDatabase", LocalSheetId = (uint)i, Hidden = true });
            if (sheet.PrintTitleRows is { } titles)
                names.Append(new X.DefinedName($"{Quoted(sheet.Name)}!$1:${titles}") { Name = "_xlnm.Print_Titles", LocalSheetId = (uint)i });
        }

        var workbook = new X.Workbook();
        workbook.AddNamespaceDeclaration("r", RelationshipsNs);
        var view = new X.WorkbookView { ActiveTab = (uint)book.Sheets.ToList().IndexOf(active) };
        // The tab bar starts at the first visible sheet (a hidden one may come first, as the review sheet's _lists does).
        var firstVisible = book.Sheets.ToList().IndexOf(visible[0]);
        if (firstVisible > 0) view.FirstSheet = (uint)firstVisible;
        workbook.Append(new X.WorkbookProperties(), new X.BookViews(view), sheets);
        if (names.HasChildren) workbook.Append(names);
        // The calculation engine id ClosedXML wrote; the workbooks hold no formulas.
        workbook.Append(new X.CalculationProperties { CalculationId = 125725 });
        workbookPart.Workbook = workbook;

        strings.WriteTo(workbookPart.AddNewPart<SharedStringTablePart>());
        workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = styles.ToStylesheet();
        if (book.CustomProperties.Count > 0) WriteCustomProperties(document.AddCustomFilePropertiesPart(), book.CustomProperties);
    }

    private static void WriteWorksheet(WorksheetPart part, XlsxWorksheet sheet, bool active, XlsxStyles styles, SharedStrings strings, string? drawingId)
    {
        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartDocument();
        writer.WriteStartElement(new X.Worksheet(), [], [new("r", RelationshipsNs)]);
        if (sheet.PrintTitleRows is not null) writer.WriteElement(new X.SheetProperties(new X.PageSetupProperties { FitToPage = true }));

        var view = new X.SheetView { WorkbookViewId = 0 };
        if (active) view.TabSelected = true;
        if (sheet.FrozenRows > 0)
        {
            var topLeft = XlsxWorksheet.Address(sheet.FrozenRows + 1, 1);
            view.Append(new X.Pane { VerticalSplit = sheet.FrozenRows, TopLeftCell = topLeft, ActivePane = X.PaneValues.BottomLeft, State = X.PaneStateValues.Frozen },
                new X.Selection { Pane = X.PaneValues.BottomLeft, ActiveCell = topLeft, SequenceOfReferences = new ListValue<StringValue> { InnerText = topLeft } });
        }
        writer.WriteElement(new X.SheetViews(view));
        writer.WriteElement(new X.SheetFormatProperties { DefaultRowHeight = XlsxWorksheet.DefaultRowHeight });

        if (sheet.Columns.Count > 0)
        {
            var columns = new X.Columns();
            foreach (var (number, (width, hidden)) in sheet.Columns)
            {
                // The file's width includes the cell's padding (5 px of a 7 px character), as Excel and ClosedXML store it.
                var column = new X.Column { Min = (uint)number, Max = (uint)number, Width = (width ?? XlsxWorksheet.DefaultColumnWidth) + ColumnPadding };
                if (width is not null) column.CustomWidth = true;
                if (hidden) column.Hidden = true;
                columns.Append(column);
            }
            writer.WriteElement(columns);
        }

        WriteCells(writer, sheet, styles, strings);

        if (sheet.IsProtected)
        {
            // The attributes say what is protected: "0" = still allowed to everyone.
            var protection = new X.SheetProtection { Sheet = true, Objects = true, Scenarios = true };
            if (sheet.Allowed.HasFlag(SheetAllow.AutoFilter)) protection.AutoFilter = false;
            if (sheet.Allowed.HasFlag(SheetAllow.FormatColumns)) protection.FormatColumns = false;
            if (sheet.Allowed.HasFlag(SheetAllow.FormatRows)) protection.FormatRows = false;
            if (sheet.Allowed.HasFlag(SheetAllow.Sort)) protection.Sort = false;
            writer.WriteElement(protection);
        }
        if (sheet.Filter is { } filter) writer.WriteElement(new X.AutoFilter { Reference = filter.Reference });
        if (sheet.Merges.Count > 0)
            writer.WriteElement(new X.MergeCells(sheet.Merges.Select(m => new X.MergeCell { Reference = m.Reference })) { Count = (uint)sheet.Merges.Count });
        if (sheet.Validations.Count > 0)
        {
            var validations = new X.DataValidations { Count = (uint)sheet.Validations.Count };
            foreach (var v in sheet.Validations)
            {
                var validation = new X.DataValidation
                {
                    Type = X.DataValidationValues.List, AllowBlank = true, ShowInputMessage = true, ShowErrorMessage = true,
                    ErrorStyle = v.Alert switch
                    {
                        ValidationAlert.Stop => X.DataValidationErrorStyleValues.Stop,
                        ValidationAlert.Warning => X.DataValidationErrorStyleValues.Warning,
                        _ => X.DataValidationErrorStyleValues.Information,
                    },
                    SequenceOfReferences = new ListValue<StringValue> { InnerText = new CellBlock(v.FirstRow, v.FirstColumn, v.LastRow, v.LastColumn).Reference },
                };
                if (v.ErrorTitle is not null) validation.ErrorTitle = v.ErrorTitle;
                if (v.ErrorMessage is not null) validation.Error = v.ErrorMessage;
                validation.Append(new X.Formula1(v.Formula));
                validations.Append(validation);
            }
            writer.WriteElement(validations);
        }
        if (sheet.PrintTitleRows is not null)
        {
            writer.WriteElement(new X.PageMargins { Left = 0.4, Right = 0.4, Top = 0.5, Bottom = 0.6, Header = 0.2, Footer = 0.25 });
            writer.WriteElement(new X.PageSetup { PaperSize = 9, Orientation = X.OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 });
            writer.WriteElement(new X.HeaderFooter(new X.OddFooter("&L&A&C&P / &N")));
        }
        if (drawingId is not null) writer.WriteElement(new X.Drawing { Id = drawingId });
        writer.WriteEndElement();
        writer.Close();
    }

    private static void WriteCells(OpenXmlWriter writer, XlsxWorksheet sheet, XlsxStyles styles, SharedStrings strings)
    {
        writer.WriteStartElement(new X.SheetData());
        var rowAttributes = new List<OpenXmlAttribute>(4);
        var cellAttributes = new List<OpenXmlAttribute>(3);
        for (var r = 1; r < sheet.Rows.Count; r++)
        {
            if (sheet.Rows[r] is not { } row) continue;
            rowAttributes.Clear();
            rowAttributes.Add(new OpenXmlAttribute("r", "", r.ToString(CultureInfo.InvariantCulture)));
            if (row.Height is { } height)
            {
                rowAttributes.Add(new OpenXmlAttribute("ht", "", height.ToString(CultureInfo.InvariantCulture)));
                rowAttributes.Add(new OpenXmlAttribute("customHeight", "", "1"));
            }
            if (row.Hidden) rowAttributes.Add(new OpenXmlAttribute("hidden", "", "1"));
            writer.WriteStartElement(new X.Row(), rowAttributes);
            var rowText = r.ToString(CultureInfo.InvariantCulture);
            for (var c = 0; c < row.Cells.Length; c++)
            {
                if (row.Cells[c] is not { } cell) continue;
                cellAttributes.Clear();
                cellAttributes.Add(new OpenXmlAttribute("r", "", XlsxWorksheet.ColumnLetters(c + 1) + rowText));
                var style = styles.IndexOf(cell.Style);
                if (style != 0) cellAttributes.Add(new OpenXmlAttribute("s", "", style.ToString(CultureInfo.InvariantCulture)));
                switch (cell.Value)
                {
                    case string text when text.Length > 0:
                        cellAttributes.Add(new OpenXmlAttribute("t", "", "s"));
                        writer.WriteStartElement(new X.Cell(), cellAttributes);
                        writer.WriteElement(new X.CellValue(strings.IndexOf(text).ToString(CultureInfo.InvariantCulture)));
                        writer.WriteEndElement();
                        break;
                    case double number:
                        writer.WriteStartElement(new X.Cell(), cellAttributes);
                        writer.WriteElement(new X.CellValue(number.ToString("R", CultureInfo.InvariantCulture)));
                        writer.WriteEndElement();
                        break;
                    default: // styled but empty
                        writer.WriteStartElement(new X.Cell(), cellAttributes);
                        writer.WriteEndElement();
                        break;
                }
            }
            writer.WriteEndElement();
        }
        writer.WriteEndElement();
    }

    private static void WriteCustomProperties(CustomFilePropertiesPart part, Dictionary<string, string> properties)
    {
        var root = new Properties();
        root.AddNamespaceDeclaration("vt", "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes");
        var id = 2; // ids 0 and 1 are reserved
        foreach (var (name, value) in properties)
            root.Append(new CustomDocumentProperty(new VTLPWSTR(value)) { FormatId = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}", PropertyId = id++, Name = name });
        part.Properties = root;
    }

    /// <summary>A sheet name as a formula refers to it: always quoted, quotes doubled.</summary>
    internal static string Quoted(string sheetName) => "'" + sheetName.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Absolute(CellBlock b) =>
        $"${XlsxWorksheet.ColumnLetters(b.FirstColumn)}${b.FirstRow}:${XlsxWorksheet.ColumnLetters(b.LastColumn)}${b.LastRow}";

    /// <summary>Each distinct text once, in the order first used; cells refer to it by index.</summary>
    private sealed class SharedStrings
    {
        private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
        private readonly List<string> ordered = [];
        private int uses;

        public int IndexOf(string text)
        {
            uses++;
            if (index.TryGetValue(text, out var i)) return i;
            index[text] = i = ordered.Count;
            ordered.Add(text);
            return i;
        }

        public void WriteTo(SharedStringTablePart part)
        {
            using var writer = OpenXmlWriter.Create(part);
            writer.WriteStartDocument();
            writer.WriteStartElement(new X.SharedStringTable(), [new("count", "", uses.ToString(CultureInfo.InvariantCulture)),
                new("uniqueCount", "", ordered.Count.ToString(CultureInfo.InvariantCulture))]);
            foreach (var text in ordered)
                writer.WriteElement(new X.SharedStringItem(new X.Text(Escaped(text)) { Space = SpaceProcessingModeValues.Preserve }));
            writer.WriteEndElement();
            writer.Close();
        }

        /// <summary>
        /// Characters XML cannot carry (control characters from pasted data) as Excel writes them, _xHHHH_; and a
        /// literal "_xHHHH_" escaped as _x005F_xHHHH_ so that it reads back as typed.
        /// </summary>
        private static string Escaped(string text)
        {
            var needs = false;
            foreach (var ch in text)
                if (ch is < ' ' and not ('\t' or '\n' or '\r') or '\uFFFE' or '\uFFFF' || ch == '_') { needs = true; break; }
            if (!needs) return text;
            var sb = new StringBuilder(text.Length + 16);
            for (var i = 0; i < text.Length; i++)
            {
                var ch = text[i];
                if (ch is < ' ' and not ('\t' or '\n' or '\r') or '\uFFFE' or '\uFFFF') sb.Append("_x").Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture)).Append('_');
                else if (ch == '_' && LooksEscaped(text, i)) sb.Append("_x005F_");
                else sb.Append(ch);
            }
            return sb.ToString();
        }

        private static bool LooksEscaped(string text, int i) =>
            i + 6 < text.Length && text[i + 1] == 'x' && text[i + 6] == '_' && text.AsSpan(i + 2, 4).ToArray().All(Uri.IsHexDigit);
    }
}
