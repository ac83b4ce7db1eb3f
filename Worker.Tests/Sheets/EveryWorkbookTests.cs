using CollectionWorker.Notifications;
using CollectionWorker.Store;
using CollectionWorker.Tests.Notifications;
using CollectionWorker.Tests.Review;
using CollectionWorker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static CollectionWorker.Review.ReviewSheetLayout;

namespace CollectionWorker.Tests.Sheets;

/// <summary>
/// #15: every workbook the product writes opens cleanly in the Open XML SDK's validator (what Excel
/// checks before it offers to "repair" a file), the pictures are where they belong, and none of it
/// (nor reading a review sheet back) loads libgdiplus.
/// </summary>
public class EveryWorkbookTests
{
    [Fact]
    public async Task Every_workbook_the_product_writes_passes_the_Open_XML_validator_with_its_pictures_and_without_libgdiplus()
    {
        using var world = await ReviewWorld.CreateAsync(students: 5);
        var one = (await world.SubmitAsync(1)).Id;
        var two = (await world.SubmitAsync(2)).Id;
        var three = (await world.SubmitAsync(3, evidence: false)).Id;
        var four = (await world.SubmitAsync(4, "rejected")).Id;

        // The review sheet: a photo and an evidence thumbnail per row (student 3 has no evidence image), one image part each.
        var sheet = await world.ExportAsync();
        AssertValid(sheet);
        var pending = Workbooks.Pictures(sheet, PendingSheet).Select(p => p.Name).Order().ToArray();
        Assert.Equal(new[] { $"evidence-{one}", $"evidence-{two}", $"photo-{one}", $"photo-{three}", $"photo-{two}" }.Order().ToArray(), pending);
        Assert.Equal(new[] { $"evidence-{four}", $"photo-{four}" }, Workbooks.Pictures(sheet, AutoRejectedSheet).Select(p => p.Name).Order().ToArray());
        Assert.Equal(7, Workbooks.ImageParts(sheet));

        // Filled with its thumbnails and imported: the receipt, and the new sheet for the row left in error.
        var filled = world.Fill(sheet, "filled.xlsx", "张师傅",
            (PendingSheet, 1, "通过", "", ""), (PendingSheet, 2, "也许", "", ""), (AutoRejectedSheet, 4, "通过", "", ""));
        var imported = await world.Host.RunAsync("import-review", filled);
        Assert.Equal(1, imported.Exit); // one row needs attention
        var receipt = imported.Out.Trim().Split('\n')[0].Trim();
        Assert.EndsWith(".xlsx", receipt);
        AssertValid(receipt);
        Assert.Equal(0, Workbooks.ImageParts(receipt));
        var again = Directory.GetFiles(Path.Combine(world.Host.DataDirectory, "review", "outbox"), "*.xlsx").Where(f => f != sheet).ToList();
        foreach (var newer in again)
        {
            AssertValid(newer);
            Assert.True(Workbooks.ImageParts(newer) >= 1, newer);
        }

        // The export manifest of the approved photos.
        var export = await world.Host.RunAsync("export-approved");
        Assert.True(export.Exit == 0, export.Err);
        var manifests = Directory.GetFiles(Path.Combine(world.Host.DataDirectory, "export"), "manifest.xlsx", SearchOption.AllDirectories);
        Assert.NotEmpty(manifests);
        foreach (var manifest in manifests) AssertValid(manifest);

        // The teacher's roster and the admin report workbook.
        var students = await world.Get<ProgressReport>().StudentsAsync();
        AssertValid(world.Get<TeacherWorkbook>().Build("王老师", students, showFullNationalId: false), "teacher roster");
        var data = new AdminReportData(students, [new KeptAsideFile("unmatched", "陌生人.jpg", "no student has this name / 没有学生与此文件名匹配")], [],
            TimeSpan.FromHours(48), []);
        AssertValid(world.Get<AdminReportWorkbook>().Build(data), "admin report");

        // The roster error workbook.
        using var test = new TestHost();
        var bad = Enumerable.Range(1, 3).Select(i => TestStudent.Make(i)).ToList();
        bad[1] = bad[1] with { TeacherEmail = "not-an-email" };
        Assert.Equal(1, (await test.RunAsync("import-roster", RosterBuilder.Write(test.File("roster.xlsx"), bad))).Exit);
        AssertValid(test.File("roster.errors.xlsx"));

        // Writing and reading all of that never loaded the native GDI+ (where /proc shows what a process has mapped).
        if (File.Exists("/proc/self/maps"))
            Assert.DoesNotContain("libgdiplus", await File.ReadAllTextAsync("/proc/self/maps"));
    }

    [Fact]
    public void The_tests_read_and_write_workbooks_without_ClosedXML_or_System_Drawing()
    {
        // What the test assembly was compiled against: a test that used ClosedXML (even through the worker's
        // reference) would list it here. The tests look at what is in the file (Support/WorkbookView.cs) and
        // write fixtures with the Open XML SDK (Support/WorkbookEditor.cs), whatever the product writes with.
        var references = typeof(EveryWorkbookTests).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("DocumentFormat.OpenXml", references);
        Assert.DoesNotContain("ClosedXML", references);
        Assert.DoesNotContain("System.Drawing.Common", references);
        Assert.DoesNotContain("System.Drawing", references);
    }

    private static void AssertValid(string file)
    {
        var errors = Workbooks.ValidationErrors(file);
        Assert.True(errors.Count == 0, $"{Path.GetFileName(file)}:\n{string.Join("\n", errors.Take(20))}");
    }

    private static void AssertValid(byte[] workbook, string what)
    {
        var errors = Workbooks.ValidationErrors(workbook);
        Assert.True(errors.Count == 0, $"{what}:\n{string.Join("\n", errors.Take(20))}");
    }
}
