using CollectionWorker.Sheets;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using static CollectionWorker.Sheets.CorrectionSheetLayout;

namespace CollectionWorker.Tests.Corrections;

/// <summary>
/// Issue #16, corrections: a teacher's real roster workbook filled in as in Excel and dropped into
/// corrections-inbox/; what is accepted, what is refused and why, the receipt, the e-mail, the admin's
/// consolidated workbook, and that the roster itself never changes until the admin imports a corrected one.
/// </summary>
public class CorrectionImportTests
{
    /// <summary>The world on SQLite here; on PostgreSQL in <see cref="CorrectionImportOnPostgresTests"/>.</summary>
    protected virtual Task<CorrectionsWorld> NewWorldAsync() => CorrectionsWorld.CreateAsync();

    private static DateOnly Birth(int i) => new DateOnly(2001, 1, 1).AddDays(i);

    [Fact]
    public async Task Valid_corrections_are_recorded_answered_and_listed_for_the_admin_without_touching_the_roster()
    {
        using var world = await NewWorldAsync();
        var before = await world.RosterSnapshotAsync();
        var roster = await world.TeacherRosterAsync(CorrectionsWorld.Wang, "wang.xlsx");
        var newId = TestIds.Make(Birth(2), 77, male: true);
        world.Fill(roster, "王老师-更正.xlsx", wb =>
        {
            world.Correct(wb, 1, DiplomaField.Name, "张三丰");
            world.Correct(wb, 2, DiplomaField.Gender, "男");
            world.Correct(wb, 2, DiplomaField.NationalId, newId.ToLowerInvariant()); // typed with a small x or not, it is normalised
            world.Correct(wb, 3, DiplomaField.Grade, "2021级");
            world.Correct(wb, 3, DiplomaField.Major, " 软件技术 ");
            world.Correct(wb, 4, DiplomaField.BirthDate, Birth(4).ToString("yyyy/M/d")); // the same date as on record
        });

        await world.ScanAsync();

        Assert.Empty(Directory.GetFiles(world.Paths.CorrectionsInbox));
        Assert.Single(Directory.GetFiles(world.Paths.CorrectionsProcessed, "*王老师-更正.xlsx"));
        var receipt = CorrectionsWorld.Receipt(world.OnlyReceipt());
        Assert.Equal(6, receipt.Count);
        Assert.Equal(5, receipt.Count(r => r.Outcome == "已收到 Accepted"));
        var same = Assert.Single(receipt, r => r.Outcome == "无需更正 Same as on record");
        Assert.Equal(world.Student(4).StudentNumber, same.StudentNumber);
        // The ID number leaves the server masked, old and new.
        var id = Assert.Single(receipt, r => r.Field == "身份证号 NationalId");
        Assert.Equal(NationalId.Mask(newId), id.Correction);
        Assert.Equal(NationalId.Mask(world.Student(2).NationalId), id.OnRecord);

        var stored = await world.CorrectionsAsync();
        Assert.Equal(
        [
            (world.Student(1).StudentNumber, "name", world.Student(1).Name, "张三丰", "pending", CorrectionsWorld.Wang),
            (world.Student(2).StudentNumber, "gender", "女", "男", "pending", CorrectionsWorld.Wang),
            (world.Student(2).StudentNumber, "national_id", world.Student(2).NationalId, newId, "pending", CorrectionsWorld.Wang),
            (world.Student(3).StudentNumber, "grade", "2020级", "2021级", "pending", CorrectionsWorld.Wang),
            (world.Student(3).StudentNumber, "major", "计算机应用技术", "软件技术", "pending", CorrectionsWorld.Wang),
        ], stored);
        Assert.Equal(before, await world.RosterSnapshotAsync());

        var mail = Assert.Single(await world.ReceiptMailsAsync());
        Assert.Equal(CorrectionsWorld.Wang, mail.Recipient);
        Assert.StartsWith("corrections-receipt:", mail.Key);

        // The admin's workbook lists all five, pending, with the ID number in full (it stays on the server).
        {
            var ws = WorkbookView.Open(world.Paths.CorrectionsWorkbook).Sheet(1);
            var rows = Enumerable.Range(4, ws.LastRow - 3).ToList();
            Assert.Equal(5, rows.Count);
            Assert.All(rows, r => Assert.Equal("待更正 Pending", ws.Text(r, 1)));
            Assert.Contains(rows, r => ws.Text(r, 7) == newId && ws.Text(r, 9) == "王老师");
        }
    }

    [Fact]
    public async Task A_corrected_roster_import_marks_the_correction_applied_and_the_admin_workbook_follows()
    {
        using var world = await NewWorldAsync();
        var roster = await world.TeacherRosterAsync(CorrectionsWorld.Wang, "wang.xlsx");
        world.Fill(roster, "corrections.xlsx", wb =>
        {
            world.Correct(wb, 1, DiplomaField.Name, "张三丰");
            world.Correct(wb, 3, DiplomaField.Major, "软件技术");
        });
        await world.ScanAsync();

        // The admin corrects only the name in the roster and imports it as always.
        var corrected = world.Students.Select((s, i) => i == 0 ? s with { Name = "张三丰" } : s).ToList();
        var import = await world.Host.RunAsync("import-roster", RosterBuilder.Write(world.Host.File("corrected.xlsx"), corrected));
        Assert.True(import.Exit == 0, import.Err);
        await world.ScanAsync();

        var stored = await world.CorrectionsAsync();
        Assert.Equal("applied", stored.Single(c => c.Field == "name").Status);
        Assert.Equal("pending", stored.Single(c => c.Field == "major").Status);
        var ws = WorkbookView.Open(world.Paths.CorrectionsWorkbook).Sheet(1);
        Assert.Equal("待更正 Pending", ws.Text(4, 1));
        Assert.Equal("已更正 Applied", ws.Text(5, 1));
        Assert.Equal("张三丰", ws.Text(5, 7));
    }

    [Fact]
    public async Task Every_check_refuses_its_bad_correction_with_its_reason_and_nothing_is_stored()
    {
        using var world = await NewWorldAsync();
        var before = await world.RosterSnapshotAsync();
        var roster = await world.TeacherRosterAsync(CorrectionsWorld.Wang, "wang.xlsx");
        var goodId = TestIds.Make(Birth(1), 55, male: true);
        var femaleId = TestIds.Make(Birth(3), 56, male: false);
        world.Fill(roster, "bad.xlsx", wb =>
        {
            world.Correct(wb, 1, DiplomaField.NationalId, goodId[..17] + (goodId[17] == '0' ? '1' : '0')); // check digit wrong
            world.Correct(wb, 1, DiplomaField.Name, "张3");
            world.Correct(wb, 2, DiplomaField.Gender, "男"); // student 2's ID says female
            var ws = wb.Sheet(SheetName);
            ws.SetNumber(CorrectionsWorld.RowOf(ws, world.Student(2).StudentNumber), CorrectionColumn(DiplomaField.NationalId), 440000200101031234d);
            world.Correct(wb, 3, DiplomaField.BirthDate, "2001-02-30");
            world.Correct(wb, 3, DiplomaField.NationalId, femaleId); // valid, but student 3 is male and the gender is not corrected
            world.Correct(wb, 4, DiplomaField.BirthDate, "2001-03-03"); // a date, but not the ID's
            world.Correct(wb, 5, DiplomaField.Grade, "毕业班");
            world.Correct(wb, 5, DiplomaField.StudentNumber, "2020/0005");
            world.Correct(wb, 6, DiplomaField.NationalId, NationalId.Mask(world.Student(6).NationalId));
            world.Correct(wb, 6, DiplomaField.StudentNumber, world.Student(1).StudentNumber); // someone else's number
        });

        await world.ScanAsync();

        var receipt = CorrectionsWorld.Receipt(world.OnlyReceipt());
        string Message(int student, DiplomaField field)
        {
            var row = Assert.Single(receipt, r => r.StudentNumber == world.Student(student).StudentNumber && r.Field == Bilingual(field));
            Assert.Equal("有误，未收 Invalid", row.Outcome);
            return row.Message;
        }
        Assert.Contains("校验位错误", Message(1, DiplomaField.NationalId));
        Assert.Contains("check digit", Message(1, DiplomaField.NationalId));
        Assert.Contains("含有数字或符号", Message(1, DiplomaField.Name));
        Assert.Contains("与身份证号不符", Message(2, DiplomaField.Gender));
        Assert.Contains("存成了数字", Message(2, DiplomaField.NationalId));
        Assert.Contains("无法识别", Message(3, DiplomaField.BirthDate));
        Assert.Contains("请同时填写正确的性别", Message(3, DiplomaField.NationalId));
        Assert.Contains("与身份证号中的 2001-01-05 不符", Message(4, DiplomaField.BirthDate));
        Assert.Contains("没有年份", Message(5, DiplomaField.Grade));
        Assert.Contains("只能包含字母、数字和连字符", Message(5, DiplomaField.StudentNumber));
        Assert.Contains("完整的 18 位", Message(6, DiplomaField.NationalId));
        Assert.Contains("已属于另一名学生", Message(6, DiplomaField.StudentNumber));
        Assert.Equal(11, receipt.Count);

        Assert.Empty(await world.CorrectionsAsync());
        Assert.Equal(before, await world.RosterSnapshotAsync());
        var mail = Assert.Single(await world.ReceiptMailsAsync());
        Assert.Contains("\"refused_count\":11", mail.Data);
    }

    [Fact]
    public async Task A_correction_for_another_teachers_student_or_under_an_altered_key_is_refused()
    {
        using var world = await NewWorldAsync();
        var wang = await world.TeacherRosterAsync(CorrectionsWorld.Wang, "wang.xlsx");
        var li = await world.TeacherRosterAsync(CorrectionsWorld.Li, "li.xlsx");
        string liKey;
        {
            var ws = WorkbookView.Open(li).Sheet(SheetName);
            liKey = ws.Text(CorrectionsWorld.RowOf(ws, world.Student(7).StudentNumber), KeyColumn);
        }
        world.Fill(wang, "mixed.xlsx", wb =>
        {
            var ws = wb.Sheet(SheetName);
            // A row copied from 李老师's workbook over one of 王老师's: the key is genuine, the student is not his.
            var r1 = CorrectionsWorld.RowOf(ws, world.Student(1).StudentNumber);
            ws.SetText(r1, KeyColumn, liKey);
            ws.SetText(r1, CorrectionColumn(DiplomaField.Name), "李四");
            // A key typed over: another student's id under the same MAC.
            var r2 = CorrectionsWorld.RowOf(ws, world.Student(2).StudentNumber);
            var key = ws.Text(r2, KeyColumn);
            ws.SetText(r2, KeyColumn, "S" + (long.Parse(key[1..key.IndexOf('-')]) + 1) + key[key.IndexOf('-')..]);
            ws.SetText(r2, CorrectionColumn(DiplomaField.Major), "软件技术");
            // A key deleted.
            var r3 = CorrectionsWorld.RowOf(ws, world.Student(3).StudentNumber);
            ws.Clear(r3, KeyColumn);
            ws.SetText(r3, CorrectionColumn(DiplomaField.Major), "软件技术");
            // And one good correction, which is taken.
            world.Correct(wb, 4, DiplomaField.Major, "软件技术");
        });

        await world.ScanAsync();

        var receipt = CorrectionsWorld.Receipt(world.OnlyReceipt());
        var notYours = Assert.Single(receipt, r => r.Outcome == "非本班主任的学生 Not your student");
        // The row is the one the teacher typed in; the message names whose student the key really is.
        Assert.Equal(world.Student(1).StudentNumber, notYours.StudentNumber);
        Assert.Contains(world.Student(7).StudentNumber, notYours.Message);
        Assert.Contains("李老师", notYours.Message);
        Assert.Equal(2, receipt.Count(r => r.Outcome == "隐藏键被改动 Key altered"));
        var stored = Assert.Single(await world.CorrectionsAsync());
        Assert.Equal((world.Student(4).StudentNumber, "major"), (stored.Number, stored.Field));
    }

    [Fact]
    public async Task A_workbook_whose_hidden_teacher_was_changed_goes_to_failed_with_its_reason()
    {
        using var world = await NewWorldAsync();
        var wang = await world.TeacherRosterAsync(CorrectionsWorld.Wang, "wang.xlsx");
        world.Fill(wang, "forged.xlsx", wb =>
        {
            wb.Sheet(IdentitySheetName).SetText(TeacherEmailCell, CorrectionsWorld.Li);
            world.Correct(wb, 1, DiplomaField.Name, "张三丰");
        });

        await world.ScanAsync();

        var failed = Assert.Single(Directory.GetFiles(world.Paths.CorrectionsFailed, "*forged.xlsx"));
        var reason = await File.ReadAllTextAsync(failed + ".reason.txt");
        Assert.Contains("隐藏班主任信息被改动", reason);
        Assert.Contains("hidden teacher details", reason);
        Assert.Empty(await world.CorrectionsAsync());
        Assert.Empty(await world.ReceiptMailsAsync());
    }

    [Fact]
    public async Task The_same_workbook_twice_records_each_correction_once_and_mails_once()
    {
        using var world = await NewWorldAsync();
        var wang = await world.TeacherRosterAsync(CorrectionsWorld.Wang, "wang.xlsx");
        var first = world.Fill(wang, "first.xlsx", wb => world.Correct(wb, 1, DiplomaField.Name, "张三丰"), world.Host.Root);
        File.Copy(first, Path.Combine(world.Paths.CorrectionsInbox, "first.xlsx"));
        await world.ScanAsync();
        File.Copy(first, Path.Combine(world.Paths.CorrectionsInbox, "again.xlsx"));
        await world.ScanAsync();

        Assert.Single(await world.CorrectionsAsync());
        Assert.Single(await world.ReceiptMailsAsync()); // the same bytes: the same receipt key
        var second = Assert.Single(Directory.GetFiles(world.Paths.CorrectionsProcessed, "*again.receipt.xlsx"));
        Assert.Equal("已收到过 Already received", Assert.Single(CorrectionsWorld.Receipt(second)).Outcome);
    }

    [Fact]
    public async Task Broken_and_foreign_files_go_to_failed_with_a_reason_and_change_nothing()
    {
        using var world = await NewWorldAsync();
        var inbox = world.Paths.CorrectionsInbox;
        await File.WriteAllTextAsync(Path.Combine(inbox, "notes.xlsx"), "学号,姓名\n2020000001,张三\n");
        var real = await File.ReadAllBytesAsync(await world.TeacherRosterAsync(CorrectionsWorld.Wang, "wang.xlsx"));
        await File.WriteAllBytesAsync(Path.Combine(inbox, "cut.xlsx"), real[..(real.Length / 2)]);
        RosterBuilder.Write(Path.Combine(inbox, "a-roster.xlsx"), world.Students);

        await world.ScanAsync();

        Assert.Empty(Directory.GetFiles(inbox));
        Assert.Empty(Directory.GetFiles(world.Paths.CorrectionsProcessed));
        string Reason(string name) => File.ReadAllText(Assert.Single(Directory.GetFiles(world.Paths.CorrectionsFailed, $"*_{name}.reason.txt")));
        Assert.Contains("不是 Excel .xlsx 工作簿", Reason("notes.xlsx"));
        Assert.Contains("damaged", Reason("cut.xlsx"));
        Assert.Contains("没有“信息核对 Check details”工作表", Reason("a-roster.xlsx"));
        Assert.Empty(await world.CorrectionsAsync());
        Assert.Empty(await world.ReceiptMailsAsync());
    }
}

/// <summary>The receipt e-mail as it leaves: to the teacher, with the receipt workbook attached and the refusals listed.</summary>
public class CorrectionReceiptMailTests
{
    [Fact]
    public async Task The_receipt_mail_goes_to_the_teacher_with_the_receipt_attached_and_the_refusals_listed()
    {
        using var world = await CorrectionsWorld.CreateAsync();
        var roster = await world.TeacherRosterAsync(CorrectionsWorld.Wang, "wang.xlsx");
        world.Fill(roster, "back.xlsx", wb =>
        {
            world.Correct(wb, 1, DiplomaField.Name, "张三丰");
            world.Correct(wb, 2, DiplomaField.Gender, "男");
        });
        await world.ScanAsync();

        CollectionWorker.Notifications.OutboxRow row;
        await using (var c = await world.OpenAsync())
            row = await Dapper.SqlMapper.QuerySingleAsync<CollectionWorker.Notifications.OutboxRow>(c,
                "SELECT id AS Id, idempotency_key AS IdempotencyKey, template AS Template, recipient AS Recipient, recipient_name AS RecipientName, " +
                "data AS Data, message_id AS MessageId, attempts AS Attempts FROM outbox WHERE template = 'corrections-receipt'");
        var message = await world.Get<CollectionWorker.Notifications.MailComposer>().ComposeAsync(row);

        Assert.Equal(CorrectionsWorld.Wang, message.To.Mailboxes.Single().Address);
        Assert.Contains("信息更正回执", message.Subject);
        Assert.Contains("1 项未收", message.Subject);
        var attachment = Assert.Single(message.Attachments.OfType<MimeKit.MimePart>());
        Assert.EndsWith("back.receipt.xlsx", attachment.FileName);
        Assert.Contains("与身份证号不符", message.HtmlBody);
    }
}

/// <summary>The same import tests with the store on PostgreSQL (a database of the tests' throw-away server).</summary>
[Collection(PostgresCollection.Name)]
public sealed class CorrectionImportOnPostgresTests(PostgresServer server) : CorrectionImportTests
{
    protected override async Task<CorrectionsWorld> NewWorldAsync() => await CorrectionsWorld.CreateAsync(await server.CreateDatabaseAsync());
}
