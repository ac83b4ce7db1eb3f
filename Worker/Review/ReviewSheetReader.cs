using CollectionWorker.Sheets;
using static CollectionWorker.Review.ReviewSheetLayout;

namespace CollectionWorker.Review;

/// <summary>One filled row as the reviewer left it.</summary>
public sealed record ReviewSheetRow(
    string Sheet, int Row, string Key, string Sha256, string StudentNumber, string Name, string Decision, string Reasons, string Note,
    string Reviewer)
{
    public bool IsBlank => Decision.Length == 0;
    public string Where => $"{Sheet}!{Row}";
}

/// <summary>What a returned workbook says: its rows, who filled it (if it says) and which exported sheet it was.</summary>
public sealed record ReviewSheetContent(IReadOnlyList<ReviewSheetRow> Rows, string? Reviewer, long? SheetId, string? Installation = null);

/// <summary>The file is not a review sheet we can read; nothing in it was applied.</summary>
public sealed class ReviewSheetException(string message) : Exception(message);

/// <summary>
/// Reads a review workbook back. Columns are found by their headers on every sheet that has a
/// SubmissionKey column (so a sheet re-saved by LibreOffice, or with columns widened, still reads);
/// formula cells are read by their cached value, never evaluated here. The cells are streamed
/// (<see cref="XlsxCells"/>): the thumbnails are never loaded, so 2,000 of them cost nothing here.
/// </summary>
public static class ReviewSheetReader
{
    public static ReviewSheetContent Read(string file)
    {
        // Before loading: a workbook bomb, an encrypted or an .xls file is refused with its reason.
        if (CollectionWorker.Store.WorkbookGuard.Check(file, CollectionWorker.Store.WorkbookLimits.ReviewSheet) is { } refusal)
            throw new ReviewSheetException($"{Path.GetFileName(file)}: {refusal}");
        XlsxCells wb;
        try
        {
            wb = XlsxCells.Open(file);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ReviewSheetException($"{Path.GetFileName(file)} cannot be opened as an .xlsx workbook ({e.Message}); save it as an Excel workbook (.xlsx) and send it again.");
        }
        try
        {
            using (wb)
                return Read(file, wb);
        }
        catch (Exception e) when (e is System.Xml.XmlException or InvalidDataException or IOException or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
        {
            throw new ReviewSheetException($"{Path.GetFileName(file)} cannot be opened as an .xlsx workbook ({e.Message}); save it as an Excel workbook (.xlsx) and send it again.");
        }
    }

    private static ReviewSheetContent Read(string file, XlsxCells wb)
    {
        long? sheetId = null;
        string? installation = null;
        if (wb.Read(ListsSheet) is { } lists)
        {
            if (long.TryParse(Value(lists, SheetIdCell), out var id)) sheetId = id;
            if (Value(lists, InstallationCell) is { Length: > 0 } inst) installation = inst;
        }
        // The custom properties stand in when the hidden sheet was lost (a program that drops hidden sheets).
        var properties = wb.CustomProperties();
        if (installation is null && properties.TryGetValue(InstallationProperty, out var fromInstallation)) installation = fromInstallation;
        if (sheetId is null && properties.TryGetValue(SheetProperty, out var sheetText) && long.TryParse(sheetText, out var fromProperty))
            sheetId = fromProperty;

        var rows = new List<ReviewSheetRow>();
        string? firstReviewer = null;
        var found = 0;
        foreach (var name in wb.SheetNames.Where(w => w.Name != ListsSheet))
        {
            var ws = wb.Read(name);
            var header = FindHeader(ws);
            if (header is null) continue;
            found++;
            var (headerRow, columns) = header.Value;
            var reviewer = FindReviewer(ws, headerRow);
            firstReviewer ??= reviewer;
            foreach (var source in ws.Rows)
            {
                if (source.Number <= headerRow) continue;
                string Get(string column) => columns.TryGetValue(column, out var c) ? Value(source.Cell(c)) : "";
                var row = new ReviewSheetRow(ws.Name, source.Number, Get(SubmissionKey), Get(Sha256), Get(StudentNumber), Get(Name), Get(Decision),
                    Get(Reasons), Get(Note), reviewer ?? "");
                if (row.Key.Length == 0 && row.Decision.Length == 0 && row.Reasons.Length == 0 && row.Note.Length == 0) continue;
                rows.Add(row);
            }
        }
        if (found == 0)
            throw new ReviewSheetException(
                $"{Path.GetFileName(file)} has no review sheet: no sheet has the columns '{Decision}', '{Reasons}', '{Note}' and '{SubmissionKey}'. Use a sheet from review/outbox/ (export-review).");
        return new ReviewSheetContent(rows, firstReviewer, sheetId, installation);
    }

    /// <summary>A cell as text: a formula by its cached result, a number without a thousands separator, a date as yyyy-MM-dd HH:mm.</summary>
    public static string Value(XlsxCell? cell) => cell switch
    {
        null => "",
        { Kind: XlsxKind.Number } => cell.Number!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        { Kind: XlsxKind.Date } when cell.Number is { } serial and >= -657435 and <= 2958465 =>
            DateTime.FromOADate(serial).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        _ => cell.Text.Trim(),
    };

    private static string Value(XlsxSheet ws, string address)
    {
        var column = 0;
        var i = 0;
        for (; i < address.Length && char.IsAsciiLetter(address[i]); i++) column = column * 26 + (char.ToUpperInvariant(address[i]) - 'A' + 1);
        return int.TryParse(address.AsSpan(i), out var row) ? Value(ws.Row(row)?.Cell(column)) : "";
    }

    private static (int Row, Dictionary<string, int> Columns)? FindHeader(XlsxSheet ws)
    {
        foreach (var row in ws.Rows)
        {
            if (row.Number > 20) break;
            var columns = new Dictionary<string, int>();
            foreach (var cell in row.Cells)
            {
                if (cell.Column > 60) break;
                var text = Value(cell);
                foreach (var (header, english) in Known)
                    if (!columns.ContainsKey(header) && (Same(text, header) || Same(text, english))) columns[header] = cell.Column;
            }
            if (new[] { Decision, Reasons, Note, SubmissionKey }.All(columns.ContainsKey)) return (row.Number, columns);
        }
        return null;
    }

    /// <summary>Headers are matched in full or by their English word, ignoring case and spacing.</summary>
    private static readonly (string Header, string English)[] Known =
    [
        (Decision, "Decision"), (Reasons, "Reasons"), (Note, "Note"), (SubmissionKey, SubmissionKey), (Sha256, Sha256),
        (StudentNumber, "StudentNumber"), (Name, "Name"),
    ];

    private static bool Same(string a, string b) =>
        string.Equals(string.Concat(a.Where(ch => !char.IsWhiteSpace(ch))), string.Concat(b.Where(ch => !char.IsWhiteSpace(ch))),
            StringComparison.OrdinalIgnoreCase);

    /// <summary>The cell right of the 审核人 Reviewer label above the header, if filled.</summary>
    private static string? FindReviewer(XlsxSheet ws, int headerRow)
    {
        foreach (var row in ws.Rows)
        {
            if (row.Number >= headerRow) break;
            foreach (var cell in row.Cells)
            {
                if (cell.Column > 10) break;
                if (Same(Value(cell), ReviewerLabel) || Same(Value(cell), "Reviewer"))
                {
                    var name = Value(row.Cell(cell.Column + 1));
                    return name.Length > 0 ? name : null;
                }
            }
        }
        return null;
    }
}
