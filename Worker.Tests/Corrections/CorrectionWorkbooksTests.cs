using CollectionWorker.Sheets;
using CollectionWorker.Tests.Support;
using static CollectionWorker.Sheets.CorrectionSheetLayout;

namespace CollectionWorker.Tests.Corrections;

/// <summary>
/// #15: the corrections round trip without ClosedXML on either side. The sealed teacher roster, the receipt and the
/// admin's consolidated list pass the Open XML validator (what Excel checks before it offers to "repair" a file), and a
/// roster typed into by something other than the writer (inline strings, as XlsxFill and LibreOffice write them) is read back.
/// </summary>
public class CorrectionWorkbooksTests
{
    [Fact]
    public async Task The_corrections_workbooks_pass_the_Open_XML_validator_and_a_roster_typed_into_is_read_back()
    {
        using var world = await CorrectionsWorld.CreateAsync();
        var roster = await world.TeacherRosterAsync(CorrectionsWorld.Wang, "wang.xlsx");
        AssertValid(roster);

        int row;
        using (var cells = XlsxCells.Open(roster))
            row = cells.Read(SheetName)!.Rows.Single(r => r.Text(RecordColumn(DiplomaField.StudentNumber)) == world.Student(1).StudentNumber).Number;
        XlsxFill.Texts(roster, SheetName, [(row, CorrectionColumn(DiplomaField.Name), "张三丰"), (row, NoteColumn, "本人确认 confirmed")]);
        AssertValid(roster);
        File.Copy(roster, Path.Combine(world.Paths.CorrectionsInbox, "wang-filled.xlsx"));

        await world.ScanAsync();

        var stored = Assert.Single(await world.CorrectionsAsync());
        Assert.Equal((world.Student(1).StudentNumber, "name", "张三丰", CorrectionsWorld.Wang), (stored.Number, stored.Field, stored.New, stored.Teacher));
        var receipt = world.OnlyReceipt();
        AssertValid(receipt);
        Assert.Equal("已收到 Accepted", Assert.Single(CorrectionsWorld.Receipt(receipt)).Outcome);
        AssertValid(world.Paths.CorrectionsWorkbook);
    }

    private static void AssertValid(string file)
    {
        var errors = Workbooks.ValidationErrors(file);
        Assert.True(errors.Count == 0, $"{Path.GetFileName(file)}:\n{string.Join("\n", errors.Take(20))}");
    }
}
