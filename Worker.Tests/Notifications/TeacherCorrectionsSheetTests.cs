using ClosedXML.Excel;
using CollectionWorker.Notifications;
using CollectionWorker.Sheets;
using CollectionWorker.Store;
using CollectionWorker.Tests.Corrections;
using static CollectionWorker.Sheets.CorrectionSheetLayout;

namespace CollectionWorker.Tests.Notifications;

/// <summary>The teacher's roster as the digest attaches it: the correction sheet is obvious and hard to get wrong.</summary>
public class TeacherCorrectionsSheetTests
{
    [Fact]
    public async Task The_check_details_sheet_shows_the_details_masked_opens_only_the_correction_cells_and_carries_sealed_keys()
    {
        using var world = await CorrectionsWorld.CreateAsync();
        var file = await world.TeacherRosterAsync(CorrectionsWorld.Wang, "wang.xlsx");
        var seal = await world.Get<ICorrectionSeals>().SealAsync();

        using var wb = new XLWorkbook(file);
        var ws = wb.Worksheet(SheetName);
        Assert.True(ws.IsProtected);
        var text = ws.Cell(InstructionsRow, 1).GetString();
        Assert.True(text.IndexOf("请逐一核对", StringComparison.Ordinal) < text.IndexOf("Check each student", StringComparison.Ordinal), "Chinese first, English after");
        Assert.Equal("正确的身份证号 Correct NationalId", ws.Cell(HeaderRow, CorrectionColumn(DiplomaField.NationalId)).GetString());
        Assert.True(ws.Column(KeyColumn).IsHidden);

        var numbers = new List<string>();
        for (var r = FirstDataRow; r <= ws.LastRowUsed()!.RowNumber(); r++)
        {
            var number = ws.Cell(r, RecordColumn(DiplomaField.StudentNumber)).GetString();
            numbers.Add(number);
            var student = world.Students.Single(s => s.StudentNumber == number);
            Assert.Equal(NationalId.Mask(student.NationalId), ws.Cell(r, RecordColumn(DiplomaField.NationalId)).GetString());
            Assert.Equal(student.Name, ws.Cell(r, RecordColumn(DiplomaField.Name)).GetString());
            Assert.NotNull(seal.StudentOf(ws.Cell(r, KeyColumn).GetString()));
            foreach (var f in Fields)
            {
                Assert.True(ws.Cell(r, RecordColumn(f)).Style.Protection.Locked, $"the record of {f} must be read only");
                Assert.False(ws.Cell(r, CorrectionColumn(f)).Style.Protection.Locked, $"the correction of {f} must be open");
            }
            Assert.False(ws.Cell(r, NoteColumn).Style.Protection.Locked);
        }
        // Only 王老师's own students.
        Assert.Equal(world.Students.Where(s => s.TeacherEmail == CorrectionsWorld.Wang).Select(s => s.StudentNumber).Order(), numbers.Order());

        var identity = wb.Worksheet(IdentitySheetName);
        Assert.Equal(XLWorksheetVisibility.VeryHidden, identity.Visibility);
        Assert.Equal(CorrectionsWorld.Wang, identity.Cell(TeacherEmailCell).GetString());
        Assert.True(seal.IsTeacherSeal(identity.Cell(SealCell).GetString(), CorrectionsWorld.Wang, identity.Cell(IssuedAtCell).GetString()));
        Assert.False(seal.IsTeacherSeal(identity.Cell(SealCell).GetString(), CorrectionsWorld.Li, identity.Cell(IssuedAtCell).GetString()));
    }

    [Fact]
    public async Task The_digest_attaches_the_roster_with_the_check_details_sheet()
    {
        using var world = await CorrectionsWorld.CreateAsync();
        var model = await world.Get<MailModelBuilder>().BuildAsync("teacher-digest", CorrectionsWorld.Li, "李老师", "{}");
        var roster = Assert.Single(model.Attachments, a => a.FileName.EndsWith(".xlsx"));
        using var wb = new XLWorkbook(new MemoryStream(roster.Content));
        Assert.True(wb.Worksheets.TryGetWorksheet(SheetName, out var ws));
        Assert.Equal(2, ws.LastRowUsed()!.RowNumber() - FirstDataRow + 1);
    }
}
