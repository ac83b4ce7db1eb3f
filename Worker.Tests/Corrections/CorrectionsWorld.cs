using CollectionWorker.Corrections;
using CollectionWorker.Notifications;
using CollectionWorker.Sheets;
using CollectionWorker.Store;
using CollectionWorker.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static CollectionWorker.Sheets.CorrectionSheetLayout;

namespace CollectionWorker.Tests.Corrections;

/// <summary>
/// A roster of two teachers (王老师: students 1-6, 李老师: students 7-8) imported through the real command
/// line, the teachers' real roster workbooks as the digest attaches them, and helpers to fill the
/// correction cells as a teacher would in Excel and drop the file into corrections-inbox/.
/// </summary>
public sealed class CorrectionsWorld : IDisposable
{
    public const string Wang = "wang@example.edu.cn", Li = "li@example.edu.cn";
    public const int WangStudents = 6;

    private CorrectionsWorld(TestHost host, IHost services, List<TestStudent> students)
    {
        Host = host;
        Services = services;
        Students = students;
    }

    public TestHost Host { get; }
    public IHost Services { get; }
    public List<TestStudent> Students { get; }
    public T Get<T>() where T : notnull => Services.Services.GetRequiredService<T>();
    public DataPaths Paths => Get<DataPaths>();

    /// <summary>The world on SQLite, or on PostgreSQL when <paramref name="postgres"/> (a connection string) is given.</summary>
    public static async Task<CorrectionsWorld> CreateAsync(string? postgres = null)
    {
        var host = new TestHost(postgres is null
            ? """{ "Corrections": { "StableFor": "00:00:00" } }"""
            : System.Text.Json.JsonSerializer.Serialize(new
            {
                Corrections = new { StableFor = "00:00:00" },
                Storage = new { Provider = "PostgreSql", ConnectionString = postgres },
            }));
        var students = Enumerable.Range(1, WangStudents).Select(i => TestStudent.Make(i, teacher: "王老师", email: Wang))
            .Concat(Enumerable.Range(WangStudents + 1, 2).Select(i => TestStudent.Make(i, className: "20级计算机2班", teacher: "李老师", email: Li))).ToList();
        var import = await host.RunAsync("import-roster", RosterBuilder.Write(host.File("roster.xlsx"), students));
        Assert.True(import.Exit == 0, import.Err);
        return new CorrectionsWorld(host, await host.BuildAsync(), students);
    }

    public TestStudent Student(int i) => Students[i - 1];

    /// <summary>The roster workbook the digest attaches for this teacher, written to a file.</summary>
    public async Task<string> TeacherRosterAsync(string teacherEmail, string fileName)
    {
        var students = await Get<ProgressReport>().StudentsAsync(new StudentFilter(TeacherEmail: teacherEmail));
        var seal = await Get<ICorrectionSeals>().SealAsync();
        var bytes = Get<TeacherWorkbook>().Build(students[0].TeacherName, students, showFullNationalId: false, seal: seal);
        var path = Host.File(fileName);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    /// <summary>
    /// Fills the roster as a teacher would in Excel and saves it into corrections-inbox/ (or <paramref name="folder"/>):
    /// the saved package is copied and only the cells typed into change.
    /// </summary>
    public string Fill(string roster, string name, Action<WorkbookEditor> fill, string? folder = null)
    {
        var path = Path.Combine(folder ?? Paths.CorrectionsInbox, name);
        using (var wb = WorkbookEditor.Edit(roster, path)) fill(wb);
        return path;
    }

    /// <summary>Types <paramref name="value"/> into the correction cell of <paramref name="field"/> in the student's row.</summary>
    public void Correct(WorkbookEditor wb, int student, DiplomaField field, string value)
    {
        var ws = wb.Sheet(SheetName);
        ws.SetText(RowOf(ws, Student(student).StudentNumber), CorrectionColumn(field), value);
    }

    public static int RowOf(ICellLookup ws, string studentNumber)
    {
        for (var r = FirstDataRow; r <= ws.LastRow; r++)
            if (ws.Text(r, RecordColumn(DiplomaField.StudentNumber)) == studentNumber) return r;
        throw new InvalidOperationException($"{studentNumber} is not on the sheet");
    }

    public Task ScanAsync() => ActivatorUtilities.CreateInstance<CorrectionsInboxWatcher>(Services.Services).ScanOnceAsync(CancellationToken.None);

    public sealed record ReceiptRow(string StudentNumber, string Field, string OnRecord, string Correction, string Outcome, string Message);

    /// <summary>The receipt workbook read back: one row per typed correction.</summary>
    public static List<ReceiptRow> Receipt(string file)
    {
        var ws = WorkbookView.Open(file).Sheet(1);
        var rows = new List<ReceiptRow>();
        for (var r = 9; r <= ws.LastRow; r++)
            rows.Add(new ReceiptRow(ws.Text(r, 2), ws.Text(r, 4), ws.Text(r, 5), ws.Text(r, 6), ws.Text(r, 7), ws.Text(r, 8)));
        return rows;
    }

    public string OnlyReceipt() => Assert.Single(Directory.GetFiles(Paths.CorrectionsProcessed, "*.receipt.xlsx"));

    public async Task<System.Data.Common.DbConnection> OpenAsync() => await Get<Database>().OpenAsync();

    public async Task<List<(string Number, string Field, string Old, string New, string Status, string Teacher)>> CorrectionsAsync()
    {
        await using var c = await OpenAsync();
        return (await c.QueryAsync<(string, string, string, string, string, string)>(
            "SELECT s.student_number, k.field, k.old_value, k.new_value, k.status, k.teacher_email FROM corrections k JOIN students s ON s.id = k.student_id ORDER BY k.id")).ToList();
    }

    public async Task<List<(string Key, string Recipient, string Data)>> ReceiptMailsAsync()
    {
        await using var c = await OpenAsync();
        return (await c.QueryAsync<(string, string, string)>(
            "SELECT idempotency_key, recipient, data FROM outbox WHERE template = 'corrections-receipt' ORDER BY id")).ToList();
    }

    /// <summary>Every student's details as the store has them, to show nothing changed.</summary>
    public async Task<string> RosterSnapshotAsync()
    {
        await using var c = await OpenAsync();
        return string.Join("\n", await c.QueryAsync<string>(
            "SELECT student_number || '|' || name || '|' || gender || '|' || national_id || '|' || birth_date || '|' || grade || '|' || major FROM students ORDER BY id"));
    }

    public void Dispose()
    {
        Services.Dispose();
        Host.Dispose();
    }
}
