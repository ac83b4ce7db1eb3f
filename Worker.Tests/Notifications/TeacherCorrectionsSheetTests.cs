using CollectionWorker.Notifications;
using CollectionWorker.Sheets;
using CollectionWorker.Store;
using CollectionWorker.Tests.Corrections;
using CollectionWorker.Tests.Support;
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

        var wb = WorkbookView.Open(file);
        var ws = wb.Sheet(SheetName);
        Assert.True(ws.Protection.IsProtected);
        var text = ws.Text(InstructionsRow, 1);
        Assert.True(text.IndexOf("请逐一核对", StringComparison.Ordinal) < text.IndexOf("Check each student", StringComparison.Ordinal), "Chinese first, English after");
        Assert.Equal("正确的身份证号 Correct NationalId", ws.Text(HeaderRow, CorrectionColumn(DiplomaField.NationalId)));
        Assert.True(ws.Column(KeyColumn).Hidden);

        var numbers = new List<string>();
        for (var r = FirstDataRow; r <= ws.LastRow; r++)
        {
            var number = ws.Text(r, RecordColumn(DiplomaField.StudentNumber));
            numbers.Add(number);
            var student = world.Students.Single(s => s.StudentNumber == number);
            Assert.Equal(NationalId.Mask(student.NationalId), ws.Text(r, RecordColumn(DiplomaField.NationalId)));
            Assert.Equal(student.Name, ws.Text(r, RecordColumn(DiplomaField.Name)));
            Assert.NotNull(seal.StudentOf(ws.Text(r, KeyColumn)));
            foreach (var f in Fields)
            {
                Assert.True(ws.Cell(r, RecordColumn(f)).Style.Locked, $"the record of {f} must be read only");
                Assert.False(ws.Cell(r, CorrectionColumn(f)).Style.Locked, $"the correction of {f} must be open");
            }
            Assert.False(ws.Cell(r, NoteColumn).Style.Locked);
        }
        // Only 王老师's own students.
        Assert.Equal(world.Students.Where(s => s.TeacherEmail == CorrectionsWorld.Wang).Select(s => s.StudentNumber).Order(), numbers.Order());

        var identity = wb.Sheet(IdentitySheetName);
        Assert.Equal(SheetState.VeryHidden, identity.Visibility);
        Assert.Equal(CorrectionsWorld.Wang, identity.Text(TeacherEmailCell));
        Assert.True(seal.IsTeacherSeal(identity.Text(SealCell), CorrectionsWorld.Wang, identity.Text(IssuedAtCell)));
        Assert.False(seal.IsTeacherSeal(identity.Text(SealCell), CorrectionsWorld.Li, identity.Text(IssuedAtCell)));
    }

    [Fact]
    public async Task The_digest_attaches_the_roster_with_the_check_details_sheet()
    {
        using var world = await CorrectionsWorld.CreateAsync();
        var model = await world.Get<MailModelBuilder>().BuildAsync("teacher-digest", CorrectionsWorld.Li, "李老师", "{}");
        var roster = Assert.Single(model.Attachments, a => a.FileName.EndsWith(".xlsx"));
        var wb = WorkbookView.Open(roster.Content);
        Assert.True(wb.HasSheet(SheetName));
        Assert.Equal(2, wb.Sheet(SheetName).LastRow - FirstDataRow + 1);
    }
}
