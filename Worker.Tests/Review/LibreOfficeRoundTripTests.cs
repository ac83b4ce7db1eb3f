using System.Diagnostics;
using CollectionWorker.Tests.Support;
using static CollectionWorker.Review.ReviewSheetLayout;

namespace CollectionWorker.Tests.Review;

/// <summary>
/// The studio may use LibreOffice rather than Excel: a sheet it opened and saved must still import.
/// Runs the real soffice (installed by .ci/run); without it the test fails and says how to install it.
/// </summary>
public class LibreOfficeRoundTripTests
{
    [Fact]
    public async Task A_sheet_resaved_by_LibreOffice_still_imports_and_a_formula_is_read_by_its_cached_value()
    {
        var soffice = FindSoffice()
                      ?? throw new Xunit.Sdk.XunitException("LibreOffice (soffice) is not on PATH; this test needs it: apt-get install libreoffice-calc (.ci/run installs it).");
        using var world = await ReviewWorld.CreateAsync();
        var one = (await world.SubmitAsync(1)).Id;
        var two = (await world.SubmitAsync(2)).Id;
        var three = (await world.SubmitAsync(3)).Id;
        var auto = (await world.SubmitAsync(4, "rejected")).Id;
        var sheet = await world.ExportAsync();
        // Filled with its thumbnails, as a studio's Excel would save it; student 3's decision is a formula
        // without a stored result: LibreOffice computes and caches it.
        var filled = world.Fill(sheet, "studio.xlsx", "张师傅",
            (PendingSheet, 1, "通过", "", ""),
            (PendingSheet, 2, "不通过", "佩戴首饰 jewellery", "耳环"),
            (PendingSheet, 3, "=\"通\"&\"过\"", "", ""),
            (AutoRejectedSheet, 4, "通过", "", ""));
        Assert.Equal(8, Workbooks.ImageParts(filled));

        var outDir = world.Host.File("lo-out");
        var profile = world.Host.File("lo-profile");
        var (exit, output) = await RunAsync(soffice,
            [$"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx", "--outdir", outDir, filled]);
        var resaved = Path.Combine(outDir, "studio.xlsx");
        Assert.True(exit == 0 && File.Exists(resaved), $"soffice exit {exit}: {output}");
        Assert.NotEqual(await File.ReadAllBytesAsync(filled), await File.ReadAllBytesAsync(resaved));
        // LibreOffice keeps the pictures: every thumbnail, still beside its own row.
        var pictures = Workbooks.Pictures(resaved, PendingSheet);
        Assert.Equal(6, pictures.Count);
        Assert.Equal(Workbooks.Pictures(filled, PendingSheet).Select(p => (p.Row, p.Column)).Order(), pictures.Select(p => (p.Row, p.Column)).Order());
        Assert.Equal(2, Workbooks.Pictures(resaved, AutoRejectedSheet).Count);
        {
            var wb = WorkbookView.Open(resaved);
            var ws = wb.Sheet(PendingSheet);
            Assert.True(ws.Protection.IsProtected); // LibreOffice keeps the protection and the hidden columns
            Assert.True(ws.Column(ReviewWorld.Column(ws, SubmissionKey)).Hidden);
            // The sheet's identity survives: the hidden cell and the custom property.
            var installation = await world.Get<CollectionWorker.Store.InstallationIdentity>().IdAsync();
            Assert.Equal(installation, wb.Sheet(ListsSheet).Text(InstallationCell));
            Assert.Equal(installation, wb.CustomProperty(InstallationProperty));
            // So does the print setup.
            Assert.Equal(PageView.A4, ws.Page.PaperSize);
            Assert.True(ws.Page.Landscape);
            var formula = ws.Cell(ReviewWorld.RowOf(ws, ReviewWorld.Number(3)), ReviewWorld.Column(ws, Decision));
            Assert.True(formula.HasFormula);
            Assert.Equal("通过", formula.Text); // the result LibreOffice computed and stored
        }

        var result = await world.Host.RunAsync("import-review", resaved);

        Assert.True(result.Exit == 0, result.Err);
        Assert.Equal("approved", (await world.SubmissionAsync(one)).State);
        var rejected = await world.SubmissionAsync(two);
        Assert.Equal(("rejected", "张师傅", "佩戴首饰；备注：耳环"), (rejected.State, rejected.DecidedBy, rejected.ReasonsZh));
        Assert.NotNull(rejected.Deadline);
        Assert.Equal("approved", (await world.SubmissionAsync(three)).State);
        Assert.Equal("approved", (await world.SubmissionAsync(auto)).State);
        var receipt = ReviewWorld.Receipt(result.Out.Trim());
        Assert.Equal("overturned", receipt[ReviewWorld.Number(4)].Code);
    }

    private static string? FindSoffice()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            foreach (var name in new[] { "soffice", "libreoffice", "soffice.exe" })
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        return null;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("soffice did not finish within 2 minutes");
        }
        var (output, errors) = await ChildOutput.AfterExitAsync("soffice", stdout, stderr);
        return (process.ExitCode, output + errors);
    }
}
