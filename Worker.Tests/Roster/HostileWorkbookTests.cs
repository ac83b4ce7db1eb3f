using CollectionWorker.Store;
using CollectionWorker.Tests.Support;

namespace CollectionWorker.Tests.Roster;

public class HostileWorkbookTests
{
    [Fact]
    public async Task A_million_row_roster_is_refused_before_loading_with_a_receipt_in_bounded_memory()
    {
        if (!OperatingSystem.IsLinux()) return; // peak memory is read from /proc
        using var host = new TestHost();
        var bomb = WorkbookBomb.MillionRows(host.File("roster.xlsx"));
        Assert.True(new FileInfo(bomb).Length < 8 << 20, $"the bomb is {new FileInfo(bomb).Length} bytes on disk");

        using var worker = WorkerProcess.Start("import-roster", bomb, "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        worker.SamplePeakMemory();
        Assert.Equal(1, await worker.WaitForExitAsync(TimeSpan.FromSeconds(120)));
        Assert.True(worker.PeakMegabytes is > 0 and < 500, $"peak resident memory {worker.PeakMegabytes:0} MB");
        Assert.Contains("goes past row 260,000, the most a roster may have", worker.Output);
        Assert.Contains("超过了学生名单的上限 260,000 行", worker.Output);
        Assert.True(File.Exists(host.File("roster.errors.xlsx")), "the error workbook is the receipt");
    }

    [Fact]
    public void A_province_sized_roster_fits_and_one_row_more_is_refused_in_both_languages()
    {
        using var dir = new TempDirectory();
        // 260,000 rows: a province's 250,000 students with title rows; the guard counts rows, not students.
        Assert.Null(WorkbookGuard.Check(WorkbookBomb.MillionRows(dir.File("province.xlsx"), rows: 260_000), WorkbookLimits.Roster));

        var refusal = WorkbookGuard.Check(WorkbookBomb.MillionRows(dir.File("beyond.xlsx"), rows: 260_001), WorkbookLimits.Roster);
        Assert.NotNull(refusal);
        Assert.Contains("goes past row 260,000, the most a roster may have (content found at row 260,001)", refusal.MessageEn);
        Assert.Contains("超过了学生名单的上限 260,000 行（第 260,001 行仍有内容）", refusal.MessageZh);

        // The review sheet keeps its own, smaller limit.
        Assert.NotNull(WorkbookGuard.Check(dir.File("province.xlsx"), WorkbookLimits.ReviewSheet));
    }

    [Fact]
    public void A_workbook_whose_parts_expand_hundreds_of_times_is_a_zip_bomb()
    {
        using var dir = new TempDirectory();
        var bomb = WorkbookBomb.Expanding(dir.File("expanding.xlsx"), megabytes: 300);
        Assert.True(new FileInfo(bomb).Length < 2 << 20, $"the bomb is {new FileInfo(bomb).Length} bytes on disk");
        var refusal = WorkbookGuard.Check(bomb, WorkbookLimits.Roster);
        Assert.NotNull(refusal);
        Assert.Contains("zip bomb", refusal.MessageEn);
        Assert.Contains("压缩炸弹", refusal.MessageZh);

        // A normal roster passes.
        var roster = RosterBuilder.Write(dir.File("roster.xlsx"), Enumerable.Range(1, 200).Select(i => TestStudent.Make(i)));
        Assert.Null(WorkbookGuard.Check(roster, WorkbookLimits.Roster));
    }

    [Fact]
    public async Task A_formula_in_an_identity_column_is_refused_even_with_a_plausible_stored_result()
    {
        using var host = new TestHost();
        var file = host.File("roster.xlsx");
        // The formula with the result Excel stores beside it when it saves.
        RosterBuilder.Write(file, [TestStudent.Make(1), TestStudent.Make(2)],
            edit: ws => ws.SetFormula(3, 12, "=\"wang\"&\"@example.edu.cn\"", cachedText: "wang@example.edu.cn"));

        var result = await host.RunAsync("import-roster", file);
        Assert.Equal(1, result.Exit);
        Assert.True(result.Err.Contains("row 3, column L (班主任邮箱 TeacherEmail): an identity column must hold typed values, not a formula (=\"wang\"&\"@example.edu.cn\", showing 'wang@example.edu.cn')"), result.Err);
        Assert.Contains("身份信息列不能是公式", result.Err);
    }
}

public class InboxWorkbookTests
{
    /// <summary>A password-protected workbook as Office writes it: a compound file with EncryptionInfo (agile, v4.4) and EncryptedPackage.</summary>
    public static string Encrypted(string path)
    {
        var descriptor = System.Text.Encoding.UTF8.GetBytes(
            """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>""");
        byte[] info = [0x04, 0x00, 0x04, 0x00, 0x40, 0x00, 0x00, 0x00, .. descriptor];
        var package = new byte[8 + 6144];
        BitConverter.GetBytes(6000L).CopyTo(package, 0);
        new Random(11).NextBytes(package.AsSpan(8));
        CompoundFile.Write(path, ("EncryptionInfo", info), ("EncryptedPackage", package));
        return path;
    }

    [Fact]
    public async Task The_running_service_refuses_bombs_old_and_encrypted_workbooks_with_receipts_and_takes_any_case_xlsx()
    {
        if (!OperatingSystem.IsLinux()) return; // peak memory is read from /proc
        using var host = new TestHost("""
            { "Logging": { "LogLevel": { "Default": "Information", "Microsoft": "Warning", "Microsoft.Hosting.Lifetime": "Information", "Quartz": "Warning" } },
              "Roster": { "InboxPollEvery": "00:00:00.2", "StableFor": "00:00:00.3" },
              "Review": { "InboxPollEvery": "00:00:00.2", "StableFor": "00:00:00.3" },
              "Inspection": { "Enabled": false } }
            """);
        using var worker = WorkerProcess.Start("run", "--config", host.ConfigDirectory, "--data", host.DataDirectory);
        worker.SamplePeakMemory();
        await worker.WaitForOutputAsync("Application started", TimeSpan.FromSeconds(60));

        var rosterInbox = Path.Combine(host.DataDirectory, "roster-inbox");
        var reviewInbox = Path.Combine(host.DataDirectory, "review", "inbox");
        void Drop(string made, string folder, string name) => File.Move(made, Path.Combine(folder, name));
        Drop(WorkbookBomb.MillionRows(host.File("a")), rosterInbox, "big.xlsx");
        Drop(RosterBuilder.Write(host.File("b.xlsx"), Enumerable.Range(1, 3).Select(i => TestStudent.Make(i))), rosterInbox, "ROSTER.XLSX");
        Drop(RosterBuilder.Write(host.File("c.xlsx"), [TestStudent.Make(7)]), rosterInbox, "macro.xlsm");
        CompoundFile.Write(host.File("d"), ("Workbook", new byte[5000]));
        Drop(host.File("d"), rosterInbox, "old.xls");
        Drop(WorkbookBomb.MillionRows(host.File("e")), reviewInbox, "review-big.xlsx");
        Drop(Encrypted(host.File("f")), reviewInbox, "review-locked.xlsx");

        foreach (var name in new[] { "big.xlsx", "ROSTER.XLSX", "macro.xlsm", "old.xls" })
            await worker.WaitForOutputAsync($"Roster {name} moved to", TimeSpan.FromSeconds(60));
        await worker.WaitForOutputAsync("Review sheet review-big.xlsx not imported", TimeSpan.FromSeconds(60));
        await worker.WaitForOutputAsync("Review sheet review-locked.xlsx not imported", TimeSpan.FromSeconds(60));

        Assert.Empty(Directory.GetFiles(rosterInbox));
        Assert.Empty(Directory.GetFiles(reviewInbox));
        var failed = Path.Combine(rosterInbox, "failed");
        foreach (var stem in new[] { "big", "macro", "old" })
            Assert.Single(Directory.GetFiles(failed, $"*_{stem}.errors.xlsx"));
        Assert.Single(Directory.GetFiles(Path.Combine(rosterInbox, "processed"), "*_ROSTER.XLSX"));
        var output = worker.Output;
        Assert.Contains("save it as an Excel workbook (.xlsx)", output.Split('\n').Single(l => l.Contains("Roster macro.xlsm moved to")));
        Assert.Contains("goes past row 260,000", output.Split('\n').Single(l => l.Contains("Roster big.xlsx moved to")));
        Assert.Contains("password-protected", output.Split('\n').Single(l => l.Contains("review-locked.xlsx not imported")));
        Assert.DoesNotContain("End of Central Directory", output);
        Assert.Contains("goes past row 25,000, the most a review sheet may have", output.Split('\n').Single(l => l.Contains("review-big.xlsx not imported")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(host.DataDirectory, "review", "processed"), "*.receipt.xlsx").Length);

        worker.Terminate();
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(worker.PeakMegabytes is > 0 and < 500, $"peak resident memory of the service {worker.PeakMegabytes:0} MB");
    }
}
