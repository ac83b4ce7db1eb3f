using ClosedXML.Excel;
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
/// formula cells are read by their cached value, never evaluated here.
/// </summary>
public static class ReviewSheetReader
{
    public static ReviewSheetContent Read(string file)
    {
        // Before loading: a workbook bomb, an encrypted or an .xls file is refused with its reason.
        if (CollectionWorker.Store.WorkbookGuard.Check(file, CollectionWorker.Store.WorkbookLimits.ReviewSheet) is { } refusal)
            throw new ReviewSheetException($"{Path.GetFileName(file)}: {refusal}");
        XLWorkbook wb;
        try
        {
            wb = new XLWorkbook(file);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ReviewSheetException($"{Path.GetFileName(file)} cannot be opened as an .xlsx workbook ({e.Message}); save it as an Excel workbook (.xlsx) and send it again.");
        }
        using (wb)
        {
            long? sheetId = null;
            string? installation = null;
            if (wb.Worksheets.TryGetWorksheet(ListsSheet, out var lists))
            {
                if (long.TryParse(Value(lists.Cell(SheetIdCell)), out var id)) sheetId = id;
                if (Value(lists.Cell(InstallationCell)) is { Length: > 0 } inst) installation = inst;
            }
            // The custom properties stand in when the hidden sheet was lost (a program that drops hidden sheets).
            if (installation is null && wb.CustomProperties.Any(p => p.Name == InstallationProperty))
                installation = Convert.ToString(wb.CustomProperty(InstallationProperty).Value, System.Globalization.CultureInfo.InvariantCulture);
            if (sheetId is null && wb.CustomProperties.Any(p => p.Name == SheetProperty)
                && long.TryParse(Convert.ToString(wb.CustomProperty(SheetProperty).Value, System.Globalization.CultureInfo.InvariantCulture), out var fromProperty))
                sheetId = fromProperty;

            var rows = new List<ReviewSheetRow>();
            string? firstReviewer = null;
            var found = 0;
            foreach (var ws in wb.Worksheets.Where(w => w.Name != ListsSheet))
            {
                var header = FindHeader(ws);
                if (header is null) continue;
                found++;
                var (headerRow, columns) = header.Value;
                var reviewer = FindReviewer(ws, headerRow);
                firstReviewer ??= reviewer;
                var last = ws.LastRowUsed()?.RowNumber() ?? headerRow;
                for (var r = headerRow + 1; r <= last; r++)
                {
                    string Get(string column) => columns.TryGetValue(column, out var c) ? Value(ws.Cell(r, c)) : "";
                    var row = new ReviewSheetRow(ws.Name, r, Get(SubmissionKey), Get(Sha256), Get(StudentNumber), Get(Name), Get(Decision),
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
    }

    /// <summary>A cell as text: a formula by its cached result, a number without a thousands separator.</summary>
    public static string Value(IXLCell cell)
    {
        var value = cell.HasFormula ? cell.CachedValue : cell.Value;
        return value switch
        {
            null => "",
            string s => s.Trim(),
            double d => d.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DateTime t => t.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            _ => (Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "").Trim(),
        };
    }

    private static (int Row, Dictionary<string, int> Columns)? FindHeader(IXLWorksheet ws)
    {
        var lastColumn = Math.Min(ws.LastColumnUsed()?.ColumnNumber() ?? 0, 60);
        for (var r = 1; r <= Math.Min(ws.LastRowUsed()?.RowNumber() ?? 0, 20); r++)
        {
            var columns = new Dictionary<string, int>();
            for (var c = 1; c <= lastColumn; c++)
            {
                var text = Value(ws.Cell(r, c));
                foreach (var (header, english) in Known)
                    if (!columns.ContainsKey(header) && (Same(text, header) || Same(text, english))) columns[header] = c;
            }
            if (new[] { Decision, Reasons, Note, SubmissionKey }.All(columns.ContainsKey)) return (r, columns);
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
    private static string? FindReviewer(IXLWorksheet ws, int headerRow)
    {
        for (var r = 1; r < headerRow; r++)
            for (var c = 1; c <= 10; c++)
                if (Same(Value(ws.Cell(r, c)), ReviewerLabel) || Same(Value(ws.Cell(r, c)), "Reviewer"))
                {
                    var name = Value(ws.Cell(r, c + 1));
                    return name.Length > 0 ? name : null;
                }
        return null;
    }
}
