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
    private const string EditableFill = "#FFF2CC", RecordFill = "#F2F2F2", CorrectionHeaderFill = "#FFD966";

    public static void Add(XlsxWorkbook wb, string teacherName, string teacherEmail, IReadOnlyList<StudentProgress> students, CorrectionSeal seal,
        DateTimeOffset issuedAt)
    {
        // Second, right after the summary: the tab a teacher should not miss.
        var ws = wb.AddSheet(CorrectionSheetLayout.SheetName, 2);
        var last = KeyColumn - 1;
        ws.Text(TitleRow, 1, $"{teacherName} — 毕业证书信息核对 Check the diploma details");
        ws.Style(TitleRow, 1, s => s with { Bold = true, FontSize = 13 });
        ws.Text(InstructionsRow, 1, InstructionsZh + "\n" + InstructionsEn);

        ws.Text(GroupRow, 1, "当前信息（只读）On record (read only)");
        ws.Text(GroupRow, FirstCorrectionColumn, "信息有误 Correction — 只填写有误的项目，填正确的完整内容 / only what is wrong, the correct value in full");

        var headers = new List<string> { "班级 Class" };
        headers.AddRange(Fields.Select(Bilingual));
        headers.AddRange(Fields.Select(f => $"正确的{Chinese(f)} Correct {English(f)}"));
        headers.Add("备注 Note");
        headers.Add("Key");
        Header(ws, HeaderRow, [.. headers]);
        ws.Style(HeaderRow, FirstCorrectionColumn, HeaderRow, NoteColumn, s => s with { Fill = CorrectionHeaderFill });

        // Widths from the text as it is written: every value is one short line, and this sheet goes out with every digest.
        var widths = headers.Take(last).Select(h => h.Split(' ').Max(TextWidth.Of) + 2).ToArray();
        void Put(int row, int column, string value)
        {
            ws.Text(row, column, value);
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
            ws.Text(r, KeyColumn, seal.RowKey(s.Id));
            r++;
        }
        var lastRow = r - 1;
        // The correction columns open wide enough for a full ID number typed in.
        foreach (var f in Fields) widths[CorrectionColumn(f) - 1] = Math.Max(widths[CorrectionColumn(f) - 1], f == DiplomaField.NationalId ? 22 : 12);
        widths[NoteColumn - 1] = Math.Max(widths[NoteColumn - 1], 16);
        for (var c = 1; c <= last; c++) ws.SetColumnWidth(c, Math.Clamp(widths[c - 1], MinColumnWidth, MaxColumnWidth));
        ws.HideColumn(KeyColumn);
        ws.FreezeRows(HeaderRow);
        if (lastRow >= FirstDataRow) ws.AutoFilter(HeaderRow, 1, lastRow, last);
        // The bilingual headers wrap at their spaces; a value wider than the widest column (a very long major) wraps in a
        // taller row, as everywhere else.
        FitRows(ws, HeaderRow, widths.Any(w => w > MaxColumnWidth) ? lastRow : HeaderRow, last);
        PrintSetup(ws, HeaderRow);
        if (lastRow >= FirstDataRow)
        {
            // Open for typing, yellow, and typed as text: an ID number or a student number with leading zeros must stay as typed.
            ws.Style(FirstDataRow, FirstCorrectionColumn, lastRow, NoteColumn, s => s with { Fill = EditableFill, Locked = false, NumberFormat = "@" });
            ws.Style(FirstDataRow, NoteColumn, lastRow, NoteColumn, s => s with { WrapText = true });
            var gender = CorrectionColumn(DiplomaField.Gender);
            ws.ListValidation(FirstDataRow, gender, lastRow, gender, "\"男,女\"", ValidationAlert.Stop,
                "性别 Gender", "请选 男 或 女 / choose 男 (male) or 女 (female)");
            // Thick line between what is on record and what the teacher types.
            ws.Style(GroupRow, FirstCorrectionColumn, lastRow, FirstCorrectionColumn, s => s with { Left = BorderLine.Medium });
        }

        ws.Merge(GroupRow, 1, GroupRow, FirstCorrectionColumn - 1);
        ws.Style(GroupRow, 1, GroupRow, FirstCorrectionColumn - 1, s => s with { Fill = RecordFill });
        ws.Style(GroupRow, FirstCorrectionColumn, GroupRow, NoteColumn, s => s with { Fill = EditableFill });
        ws.Style(GroupRow, 1, GroupRow, last, s => s with { Bold = true, Horizontal = HorizontalAlign.Center });
        FitMergedRow(ws, InstructionsRow, 1, last);
        FitMergedRow(ws, GroupRow, FirstCorrectionColumn, NoteColumn);

        // Only the correction cells can be typed in; filter and column widths still work.
        ws.Protect(SheetAllow.AutoFilter | SheetAllow.FormatColumns | SheetAllow.FormatRows);

        var identity = wb.AddSheet(IdentitySheetName);
        var issued = UtcTimestamp.ToText(issuedAt);
        (string Label, string Cell, string Value)[] facts =
        [
            ("teacher_email", TeacherEmailCell, teacherEmail), ("teacher_name", TeacherNameCell, teacherName),
            ("issued_at", IssuedAtCell, issued), ("seal", SealCell, seal.TeacherSeal(teacherEmail, issued)),
        ];
        foreach (var (label, cell, value) in facts)
        {
            var (row, column) = XlsxWorksheet.Position(cell);
            identity.Text(row, 1, label);
            identity.Text(row, column, value);
        }
        identity.Visibility = SheetVisibility.VeryHidden;
        identity.Protect();
    }
}
