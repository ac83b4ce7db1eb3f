using ClosedXML.Excel;
using CollectionWorker.Sheets;
using CollectionWorker.Store;
using static CollectionWorker.Sheets.CorrectionSheetLayout;
using static CollectionWorker.Sheets.SheetWriting;

namespace CollectionWorker.Notifications;

/// <summary>
/// The "信息核对 Check details" sheet of a teacher's roster: every student's diploma details on the left
/// (the ID number masked), a yellow correction cell per detail on the right, instructions in Chinese
/// then English. The sheet is protected with only the correction cells open, each row carries a hidden
/// key and a very hidden sheet says which teacher it went to, sealed, so what comes back can be trusted
/// (Worker/Corrections reads it; docs/corrections.md).
/// </summary>
public static class TeacherCorrectionsSheet
{
    private static readonly XLColor EditableColour = XLColor.FromHtml("#FFF2CC");
    private static readonly XLColor RecordColour = XLColor.FromHtml("#F2F2F2");

    public static void Add(XLWorkbook wb, string teacherName, string teacherEmail, IReadOnlyList<StudentProgress> students, CorrectionSeal seal,
        DateTimeOffset issuedAt)
    {
        // Second, right after the summary: the tab a teacher should not miss.
        var ws = wb.AddWorksheet(CorrectionSheetLayout.SheetName, 2);
        var last = KeyColumn - 1;
        Text(ws.Cell(TitleRow, 1), $"{teacherName} — 毕业证书信息核对 Check the diploma details");
        ws.Cell(TitleRow, 1).Style.Font.Bold = true;
        ws.Cell(TitleRow, 1).Style.Font.FontSize = 13;
        Text(ws.Cell(InstructionsRow, 1), InstructionsZh + "\n" + InstructionsEn);

        Text(ws.Cell(GroupRow, 1), "当前信息（只读）On record (read only)");
        Text(ws.Cell(GroupRow, FirstCorrectionColumn), "信息有误 Correction — 只填写有误的项目，填正确的完整内容 / only what is wrong, the correct value in full");

        var headers = new List<string> { "班级 Class" };
        headers.AddRange(Fields.Select(Bilingual));
        headers.AddRange(Fields.Select(f => $"正确的{Chinese(f)} Correct {English(f)}"));
        headers.Add("备注 Note");
        headers.Add("Key");
        Header(ws, HeaderRow, [.. headers]);
        ws.Range(HeaderRow, FirstCorrectionColumn, HeaderRow, NoteColumn).Style.Fill.BackgroundColor = XLColor.FromHtml("#FFD966");

        // Widths from the text as it is written, not read back: measuring ClosedXML cells costs as much as the rest
        // of the teacher's workbook together, and this sheet goes out with every digest. Every value is one short line.
        var widths = headers.Take(last).Select(h => h.Split(' ').Max(TextWidth.Of) + 2).ToArray();
        void Put(int row, int column, string value)
        {
            Text(ws.Cell(row, column), value);
            widths[column - 1] = Math.Max(widths[column - 1], TextWidth.Of(value) + 2);
        }
        var r = FirstDataRow;
        foreach (var s in students.OrderBy(s => s.ClassName, StringComparer.Ordinal).ThenBy(s => s.StudentNumber, StringComparer.Ordinal))
        {
            Put(r, ClassColumn, s.ClassName);
            Put(r, RecordColumn(DiplomaField.Name), s.Name);
            Put(r, RecordColumn(DiplomaField.Gender), s.Gender);
            Put(r, RecordColumn(DiplomaField.StudentNumber), s.StudentNumber);
            Put(r, RecordColumn(DiplomaField.NationalId), NationalId.Mask(s.NationalId));
            Put(r, RecordColumn(DiplomaField.BirthDate), s.BirthDate);
            Put(r, RecordColumn(DiplomaField.Grade), s.Grade);
            Put(r, RecordColumn(DiplomaField.Major), s.Major);
            Text(ws.Cell(r, KeyColumn), seal.RowKey(s.Id));
            r++;
        }
        var lastRow = r - 1;
        // The correction columns open wide enough for a full ID number typed in.
        foreach (var f in Fields) widths[CorrectionColumn(f) - 1] = Math.Max(widths[CorrectionColumn(f) - 1], f == DiplomaField.NationalId ? 22 : 12);
        widths[NoteColumn - 1] = Math.Max(widths[NoteColumn - 1], 16);
        for (var c = 1; c <= last; c++) ws.Column(c).Width = Math.Clamp(widths[c - 1], MinColumnWidth, MaxColumnWidth);
        ws.SheetView.FreezeRows(HeaderRow);
        if (lastRow >= FirstDataRow) ws.Range(HeaderRow, 1, lastRow, last).SetAutoFilter();
        // The bilingual headers wrap at their spaces (one row, cheap to measure); a value wider than the widest
        // column (a very long major) wraps in a taller row, as everywhere else.
        FitRows(ws, HeaderRow, widths.Any(w => w > MaxColumnWidth) ? lastRow : HeaderRow, last);
        PrintSetup(ws, HeaderRow);
        ws.Column(KeyColumn).Hide();
        // Styled after the widths are fitted (measuring cells of a styled, merged sheet is many times slower in ClosedXML 0.95).
        if (lastRow >= FirstDataRow)
        {
            var editable = ws.Range(FirstDataRow, FirstCorrectionColumn, lastRow, NoteColumn);
            editable.Style.Fill.BackgroundColor = EditableColour;
            editable.Style.Protection.SetLocked(false);
            // Typed as text: an ID number or a student number with leading zeros must stay as typed.
            editable.Style.NumberFormat.Format = "@";
            ws.Range(FirstDataRow, NoteColumn, lastRow, NoteColumn).Style.Alignment.WrapText = true;
            var gender = ws.Range(FirstDataRow, CorrectionColumn(DiplomaField.Gender), lastRow, CorrectionColumn(DiplomaField.Gender)).SetDataValidation();
            gender.List("\"男,女\"", true);
            gender.ErrorTitle = "性别 Gender";
            gender.ErrorMessage = "请选 男 或 女 / choose 男 (male) or 女 (female)";
            // Thick line between what is on record and what the teacher types.
            ws.Range(GroupRow, FirstCorrectionColumn, lastRow, FirstCorrectionColumn).Style.Border.LeftBorder = XLBorderStyleValues.Medium;
        }

        ws.Range(GroupRow, 1, GroupRow, FirstCorrectionColumn - 1).Merge().Style.Fill.BackgroundColor = RecordColour;
        ws.Range(GroupRow, FirstCorrectionColumn, GroupRow, NoteColumn).Merge().Style.Fill.BackgroundColor = EditableColour;
        ws.Range(GroupRow, 1, GroupRow, last).Style.Font.Bold = true;
        ws.Range(GroupRow, 1, GroupRow, last).Style.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
        FitMergedRow(ws.Range(InstructionsRow, 1, InstructionsRow, last).Merge());
        FitMergedRow(ws.Range(GroupRow, FirstCorrectionColumn, GroupRow, NoteColumn));

        // Only the correction cells can be typed in; filter and column widths still work.
        ws.Protect().AllowElement(XLSheetProtectionElements.AutoFilter | XLSheetProtectionElements.FormatColumns
            | XLSheetProtectionElements.FormatRows | XLSheetProtectionElements.SelectLockedCells | XLSheetProtectionElements.SelectUnlockedCells);

        var identity = wb.AddWorksheet(IdentitySheetName);
        var issued = UtcTimestamp.ToText(issuedAt);
        Text(identity.Cell("A1"), "teacher_email");
        Text(identity.Cell(TeacherEmailCell), teacherEmail);
        Text(identity.Cell("A2"), "teacher_name");
        Text(identity.Cell(TeacherNameCell), teacherName);
        Text(identity.Cell("A3"), "issued_at");
        Text(identity.Cell(IssuedAtCell), issued);
        Text(identity.Cell("A4"), "seal");
        Text(identity.Cell(SealCell), seal.TeacherSeal(teacherEmail, issued));
        identity.Visibility = XLWorksheetVisibility.VeryHidden;
        identity.Protect();
    }
}
