using CollectionWorker.Tests.Notifications;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CollectionWorker.Tests.Roster;

/// <summary>The roster's optional student e-mail and phone columns (issue 16, students told directly).</summary>
public class StudentContactTests
{
    private static List<TestStudent> WithContacts(int count) => Enumerable.Range(1, count)
        .Select(i => TestStudent.Make(i) with
        {
            StudentEmail = i % 2 == 1 ? $"s{i}@stu.example.edu.cn" : "",
            Phone = i % 2 == 1 ? $"138-0013-80{i:00}" : "",
        }).ToList();

    private static async Task<List<(string Number, string? Email, string? Phone)>> ContactsAsync(TestHost host)
    {
        await using var c = await host.OpenStoreAsync();
        return (await c.QueryAsync<(string, string?, string?)>("SELECT student_number, student_email, phone FROM students ORDER BY student_number")).ToList();
    }

    [Fact]
    public async Task Student_emails_and_phones_are_stored_normalised_and_empty_cells_stay_empty()
    {
        using var host = new TestHost();
        var students = WithContacts(4);
        var result = await host.RunAsync("import-roster", RosterBuilder.Write(host.File("roster.xlsx"), students, RosterBuilder.WithContacts));

        Assert.True(result.Exit == 0, result.Err);
        var stored = await ContactsAsync(host);
        Assert.Equal((students[0].StudentNumber, "s1@stu.example.edu.cn", "13800138001"), stored[0]);
        Assert.Equal((students[1].StudentNumber, (string?)null, (string?)null), stored[1]);
    }

    [Theory]
    [InlineData("学生邮箱", "zhang.at.example.com", "row 4, column M (学生邮箱 StudentEmail): student e-mail 'zhang.at.example.com' is not a valid address")]
    [InlineData("手机号", "138001380ab", "row 4, column N (手机号 Phone): phone '138001380ab' is not a phone number")]
    [InlineData("手机号", "12345", "row 4, column N (手机号 Phone): phone '12345' is not a phone number")]
    public async Task A_bad_address_or_phone_rejects_the_file_naming_row_and_column(string column, string value, string expected)
    {
        using var host = new TestHost();
        var students = WithContacts(4);
        students[2] = column == "学生邮箱" ? students[2] with { StudentEmail = value } : students[2] with { Phone = value };
        var file = RosterBuilder.Write(host.File("bad.xlsx"), students, RosterBuilder.WithContacts);

        var result = await host.RunAsync("import-roster", file);

        Assert.Equal(1, result.Exit);
        Assert.Contains(expected, result.Err);
        Assert.Empty(await ContactsAsync(host));
        Assert.Contains(column == "学生邮箱" ? "学生邮箱" : "手机号", WorkbookView.Open(host.File("bad.errors.xlsx")).Sheet(1).Text(4, 15));
    }

    [Fact]
    public async Task A_roster_without_the_columns_keeps_the_stored_contacts_and_an_emptied_cell_clears_one()
    {
        using var host = new TestHost();
        var students = WithContacts(3);
        Assert.Equal(0, (await host.RunAsync("import-roster", RosterBuilder.Write(host.File("r1.xlsx"), students, RosterBuilder.WithContacts))).Exit);

        // The admin re-imports last year's layout without the two columns: nothing is forgotten.
        Assert.Equal(0, (await host.RunAsync("import-roster", RosterBuilder.Write(host.File("r2.xlsx"), students))).Exit);
        Assert.Equal("s1@stu.example.edu.cn", (await ContactsAsync(host))[0].Email);

        students[0] = students[0] with { StudentEmail = "", Phone = "" };
        var result = await host.RunAsync("import-roster", RosterBuilder.Write(host.File("r3.xlsx"), students, RosterBuilder.WithContacts));
        Assert.Contains("1 updated", result.Out);
        Assert.Equal((students[0].StudentNumber, (string?)null, (string?)null), (await ContactsAsync(host))[0]);
    }

    [Fact]
    public async Task The_phone_is_shown_in_the_teachers_roster_workbook()
    {
        await using var smtp = await TestSmtpServer.StartAsync();
        using var test = new TestHost(NotificationTestData.SmtpConfig(smtp.Port));
        var students = WithContacts(3);
        Assert.Equal(0, (await test.RunAsync("import-roster", RosterBuilder.Write(test.File("r.xlsx"), students, RosterBuilder.WithContacts))).Exit);
        using var host = await test.BuildAsync();
        await NotificationTestData.EnqueueAsync(host,
            new CollectionWorker.Store.OutboxMessage("digest:wang:1", "teacher-digest", "wang@example.edu.cn", "王老师", new { date = "2022-05-06" }));

        await NotificationTestData.Sender(host).SendDueAsync(CancellationToken.None);

        var part = smtp.Messages.Single().Attachments.OfType<MimeKit.MimePart>().Single(a => a.FileName.EndsWith(".xlsx"));
        using var stream = new MemoryStream();
        part.Content.DecodeTo(stream);
        var wb = WorkbookView.Open(stream.ToArray());
        var ws = wb.Sheet("20级计算机1班");
        var phoneColumn = ws.ColumnOf(1, "手机号 Phone");
        var row = ws.RowOf(1, students[0].StudentNumber);
        Assert.Equal("13800138001", ws.Text(row, phoneColumn));
        Assert.DoesNotContain(wb.CellsWithValues, c => c.Text.Contains("@stu.example.edu.cn"));
    }
}
