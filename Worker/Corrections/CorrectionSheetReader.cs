using System.Globalization;
using CollectionWorker.Sheets;
using CollectionWorker.Store;
using static CollectionWorker.Sheets.CorrectionSheetLayout;

namespace CollectionWorker.Corrections;

/// <summary>One row the teacher typed something into: the hidden key, each correction as typed, the note.</summary>
public sealed record CorrectionSheetRow(int Row, string Key, string RecordNumber, string RecordName, IReadOnlyDictionary<DiplomaField, string> Typed,
    string Note, IReadOnlyDictionary<DiplomaField, string> Unreadable);

/// <summary>What a returned teacher workbook says: which teacher it was sent to (and the seal over that), and the filled rows.</summary>
public sealed record CorrectionSheetContent(string TeacherEmail, string TeacherName, string IssuedAt, string Seal, IReadOnlyList<CorrectionSheetRow> Rows);

/// <summary>The file is not a teacher workbook we can read; nothing in it was taken.</summary>
public sealed class CorrectionSheetException(string messageZh, string messageEn) : Exception($"{messageZh} / {messageEn}")
{
    public string MessageZh { get; } = messageZh;
    public string MessageEn { get; } = messageEn;
}

/// <summary>
/// Reads the "信息核对 Check details" sheet of a returned teacher workbook (layout in
/// <see cref="CorrectionSheetLayout"/>), after <see cref="WorkbookGuard"/> has let it be loaded.
/// Positions are fixed (the sheet is protected against inserting columns) and checked against the headers.
/// The cells are streamed (<see cref="XlsxCells"/>): no object model, no styles, nothing of System.Drawing.
/// </summary>
public static class CorrectionSheetReader
{
    /// <summary>A teacher's roster: a few hundred students; far smaller than a whole roster may be.</summary>
    public static readonly WorkbookLimits Limits = new("班主任名单", "a teacher's roster", 20L << 20, 60L << 20, 10_000, 60, 200_000);

    public static CorrectionSheetContent Read(string file)
    {
        if (WorkbookGuard.Check(file, Limits) is { } refusal)
            throw new CorrectionSheetException(refusal.MessageZh, refusal.MessageEn);
        XlsxSheet? ws, identity;
        try
        {
            using var cells = XlsxCells.Open(file);
            // Excel compares sheet names without regard to case; so does finding them here.
            XlsxSheet? Sheet(string name) =>
                cells.SheetNames.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { Name: not null } found
                    ? cells.Read(found) : null;
            ws = Sheet(SheetName);
            identity = ws is null ? null : Sheet(IdentitySheetName);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CorrectionSheetException("无法打开该 .xlsx 工作簿：请在 Excel 中打开并重新保存为 .xlsx",
                $"the workbook cannot be opened as .xlsx ({e.GetType().Name}: {e.Message}): open it in Excel and save it again as .xlsx");
        }
        if (ws is null)
            throw new CorrectionSheetException($"工作簿中没有“{SheetName}”工作表：请使用系统随进度邮件发送的班主任名单填写更正",
                $"the workbook has no '{SheetName}' sheet: fill in corrections on the teacher's roster the service e-mails with its digest");
        if (identity is null)
            throw new CorrectionSheetException("工作簿缺少隐藏的班主任信息（可能是复制到了新文件中）：请直接在系统发送的名单上填写并保存",
                "the workbook lacks the hidden sheet naming its teacher (perhaps the sheet was copied into a new file): fill in the roster the service sent and save that");
        var headers = ws.Row(HeaderRow);
        foreach (var f in Fields)
        {
            var header = Text(headers?.Cell(CorrectionColumn(f)));
            if (!header.Contains(English(f), StringComparison.OrdinalIgnoreCase))
                throw new CorrectionSheetException($"“{SheetName}”的列被移动或改动（第 {HeaderRow} 行第 {CorrectionColumn(f)} 列应为“正确的{Chinese(f)}”）：请使用系统发送的名单，不要增删列",
                    $"the columns of '{SheetName}' were moved or changed (row {HeaderRow}, column {CorrectionColumn(f)} should be 'Correct {English(f)}'): use the roster the service sent without adding or removing columns");
        }

        var rows = new List<CorrectionSheetRow>();
        foreach (var row in ws.Rows.Where(r => r.Number >= FirstDataRow))
        {
            var typed = new Dictionary<DiplomaField, string>();
            var unreadable = new Dictionary<DiplomaField, string>();
            foreach (var f in Fields)
            {
                var cell = row.Cell(CorrectionColumn(f));
                // Excel keeps only 15 digits of a number: an ID number typed into a cell formatted as a number has lost its end.
                if (f is DiplomaField.NationalId or DiplomaField.StudentNumber && cell is { HasFormula: false, Number: { } d } && Math.Abs(d) >= 1e15)
                    unreadable[f] = d.ToString("0", CultureInfo.InvariantCulture);
                else if (Text(cell) is { Length: > 0 } value)
                    typed[f] = value;
            }
            var note = Text(row.Cell(NoteColumn));
            if (typed.Count == 0 && unreadable.Count == 0 && note.Length == 0) continue;
            rows.Add(new CorrectionSheetRow(row.Number, Text(row.Cell(KeyColumn)), Text(row.Cell(RecordColumn(DiplomaField.StudentNumber))),
                Text(row.Cell(RecordColumn(DiplomaField.Name))), typed, note, unreadable));
        }
        return new CorrectionSheetContent(Text(identity, TeacherEmailCell), Text(identity, TeacherNameCell), Text(identity, IssuedAtCell),
            Text(identity, SealCell), rows);
    }

    /// <summary>A cell of the identity sheet by its A1 reference ("B1").</summary>
    private static string Text(XlsxSheet sheet, string reference)
    {
        var column = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetter(reference[i]); i++) column = column * 26 + char.ToUpperInvariant(reference[i]) - 'A' + 1;
        return Text(sheet.Row(int.Parse(reference.AsSpan(i), CultureInfo.InvariantCulture))?.Cell(column));
    }

    /// <summary>A cell as text: a formula by its stored result, a date as yyyy-MM-dd, a whole number without decimals.</summary>
    private static string Text(XlsxCell? cell) => cell switch
    {
        null => "",
        { Kind: XlsxKind.Date, Number: { } serial } => NumberFormats.DateText(serial),
        { Kind: XlsxKind.Number, Number: { } number } => NumberFormats.Plain(number),
        _ => cell.Text.Trim(),
    };
}
