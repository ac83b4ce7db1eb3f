using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Roster;

/// <summary>
/// Imports a roster all or nothing: read, validate, then in one transaction add new students,
/// update changed details (audited), keep every submission, and flag students missing from this
/// roster without deleting them. Any problem → nothing stored and an error workbook beside the file.
/// </summary>
public sealed class RosterImporter(
    Database database,
    RosterWorkbookReader reader,
    RosterValidator validator,
    TimeProvider time,
    ILogger<RosterImporter> logger)
{
    public const string ReadingStep = "读取名单 Reading the roster";
    public const string CheckingStep = "检查名单 Checking the rows";
    public const string StoringStep = "写入学生 Storing students";
    public const string ErrorWorkbookStep = "写入错误工作簿 Writing the error workbook";

    public async Task<RosterImportResult> ImportAsync(string path, string actor, CancellationToken ct = default, IProgress<WorkProgress>? progress = null)
    {
        progress?.Report(WorkProgress.Started(ReadingStep));
        var sheet = reader.Read(path);
        progress?.Report(WorkProgress.Started(CheckingStep));
        var records = sheet.Problems.Count == 0 ? validator.Validate(sheet) : [];
        if (sheet.Problems.Count == 0)
            sheet.Problems.AddRange(await FindStoreConflictsAsync(records, sheet, ct));

        if (sheet.Problems.Count > 0)
        {
            progress?.Report(WorkProgress.Started(ErrorWorkbookStep));
            return Fail(path, sheet);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, ct)));
        var result = await StoreAsync(records, Path.GetFileName(path), hash, actor, ct, progress);
        logger.LogInformation(
            "Roster {File} imported: {Rows} rows, {Added} added, {Updated} updated, {Unchanged} unchanged, {NotEligible} not eligible, {Flagged} flagged missing",
            Path.GetFileName(path), result.Rows, result.Added, result.Updated, result.Unchanged, result.NotEligible, result.FlaggedMissing);
        return result;
    }

    /// <summary>Refuses a file without reading it (not an .xlsx, or unreadable), with the same error workbook as any failed import.</summary>
    public RosterImportResult Refuse(string path, string messageZh, string messageEn)
    {
        var sheet = new RosterSheet();
        sheet.Problems.Add(new RosterProblem(null, null, messageZh, messageEn));
        return Fail(path, sheet);
    }

    private RosterImportResult Fail(string path, RosterSheet sheet)
    {
        var problems = sheet.Problems.OrderBy(p => p.Row ?? 0).ToList();
        string? errorWorkbook = RosterErrorWorkbook.PathFor(path);
        try
        {
            RosterErrorWorkbook.Write(errorWorkbook, sheet, problems);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not write the roster error workbook {Path}", errorWorkbook);
            errorWorkbook = null;
        }
        logger.LogWarning("Roster {File} rejected with {Count} problem(s); nothing imported", Path.GetFileName(path), problems.Count);
        return RosterImportResult.Failed(problems, errorWorkbook);
    }

    /// <summary>
    /// An ID number already stored for another student is a conflict, unless that student's number
    /// is absent from this roster (then the roster corrects the student number).
    /// </summary>
    private async Task<List<RosterProblem>> FindStoreConflictsAsync(List<StudentRecord> records, RosterSheet sheet, CancellationToken ct)
    {
        var problems = new List<RosterProblem>();
        if (records.Count == 0) return problems;
        await using var connection = await database.OpenAsync(ct);
        var stored = (await connection.QueryAsync<(string Number, string Id)>("SELECT student_number, national_id FROM students"))
            .ToDictionary(s => s.Id, s => s.Number, StringComparer.Ordinal);
        var numbersInFile = records.Select(r => r.StudentNumber).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var r in records)
        {
            if (stored.TryGetValue(r.NationalId, out var owner)
                && !string.Equals(owner, r.StudentNumber, StringComparison.OrdinalIgnoreCase)
                && numbersInFile.Contains(owner))
                problems.Add(new RosterProblem(r.SourceRow, sheet.ColumnLabel(RosterField.NationalId),
                    $"该身份证号已属于学号 {owner} 的学生，而该学号也在本名单中：请核对",
                    $"this ID number already belongs to student {owner}, who is also in this roster: check both rows"));
        }
        return problems;
    }

    private async Task<RosterImportResult> StoreAsync(List<StudentRecord> records, string fileName, string hash, string actor, CancellationToken ct,
        IProgress<WorkProgress>? progress)
    {
        var now = UtcTimestamp.ToText(time.GetUtcNow());
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await connection.BeginTransactionAsync(ct);

        var existing = (await connection.QueryAsync<StoredStudent>("SELECT * FROM students", transaction: tx)).ToList();
        var byNumber = existing.ToDictionary(s => s.student_number, StringComparer.OrdinalIgnoreCase);
        var byId = existing.ToDictionary(s => s.national_id, StringComparer.Ordinal);
        var seen = new HashSet<long>();
        int added = 0, updated = 0, unchanged = 0, done = 0;

        foreach (var r in records)
        {
            progress?.Report(new WorkProgress(StoringStep, done++, records.Count));
            var current = byNumber.GetValueOrDefault(r.StudentNumber) ?? byId.GetValueOrDefault(r.NationalId);
            var row = new StoredStudent
            {
                id = current?.id ?? 0, student_number = r.StudentNumber, national_id = r.NationalId, name = r.Name, gender = r.Gender,
                birth_date = r.BirthDate.ToString("yyyy-MM-dd"), grade = r.Grade, major = r.Major, class_name = r.ClassName,
                school = r.School, track = r.Track, teacher_name = r.TeacherName, teacher_email = r.TeacherEmail,
                eligible = r.Eligible ? 1 : 0, cohort = r.Cohort, in_roster = 1, created_at = current?.created_at ?? now, updated_at = now,
                // Without the column in this file the stored contact stays; an empty cell clears it.
                student_email = r.StudentEmail is null ? current?.student_email : NullIfEmpty(r.StudentEmail),
                phone = r.Phone is null ? current?.phone : NullIfEmpty(r.Phone),
            };
            if (current is null)
            {
                row.id = await connection.ExecuteScalarAsync<long>(InsertSql, row, tx);
                await AuditAsync(connection, tx, now, actor, "student.added", r.StudentNumber, new { file = fileName });
                added++;
            }
            else
            {
                seen.Add(current.id);
                var changes = current.ChangedFields(row);
                if (changes.Count == 0)
                {
                    unchanged++;
                    continue;
                }
                await connection.ExecuteAsync(UpdateSql, row, tx);
                await AuditAsync(connection, tx, now, actor, "student.updated", r.StudentNumber, new { file = fileName, changes });
                updated++;
            }
            seen.Add(row.id);
        }

        progress?.Report(new WorkProgress(StoringStep, records.Count, records.Count));
        var missing = existing.Where(s => !seen.Contains(s.id) && s.in_roster == 1).ToList();
        foreach (var s in missing)
        {
            await connection.ExecuteAsync("UPDATE students SET in_roster = 0, updated_at = @now WHERE id = @id", new { now, s.id }, tx);
            await AuditAsync(connection, tx, now, actor, "student.missing_from_roster", s.student_number, new { file = fileName });
        }

        var notEligible = records.Count(r => !r.Eligible);
        await connection.ExecuteAsync(
            """
            INSERT INTO roster_imports (file_name, sha256, imported_at, row_count, added, updated, unchanged, flagged_missing, not_eligible)
            VALUES (@fileName, @hash, @now, @rows, @added, @updated, @unchanged, @flagged, @notEligible)
            """,
            new { fileName, hash, now, rows = records.Count, added, updated, unchanged, flagged = missing.Count, notEligible }, tx);
        await tx.CommitAsync(ct);
        return new RosterImportResult(true, [], null, records.Count, added, updated, unchanged, missing.Count, notEligible);
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static Task AuditAsync(DbConnection c, DbTransaction tx, string at, string actor, string action, string subject, object detail) =>
        AuditLog.WriteAsync(c, tx, UtcTimestamp.Parse(at), actor, action, subject, detail);

    private const string InsertSql =
        """
        INSERT INTO students (student_number, national_id, name, gender, birth_date, grade, major, class_name, school, track,
                              teacher_name, teacher_email, eligible, cohort, in_roster, created_at, updated_at, student_email, phone)
        VALUES (@student_number, @national_id, @name, @gender, @birth_date, @grade, @major, @class_name, @school, @track,
                @teacher_name, @teacher_email, @eligible, @cohort, @in_roster, @created_at, @updated_at, @student_email, @phone)
        RETURNING id
        """;

    private const string UpdateSql =
        """
        UPDATE students SET student_number = @student_number, national_id = @national_id, name = @name, gender = @gender,
            birth_date = @birth_date, grade = @grade, major = @major, class_name = @class_name, school = @school, track = @track,
            teacher_name = @teacher_name, teacher_email = @teacher_email, eligible = @eligible, cohort = @cohort,
            in_roster = @in_roster, updated_at = @updated_at, student_email = @student_email, phone = @phone
        WHERE id = @id
        """;

    /// <summary>A students row as stored (column names as in the table).</summary>
    private sealed class StoredStudent
    {
        public long id { get; set; }
        public string student_number { get; set; } = "";
        public string national_id { get; set; } = "";
        public string name { get; set; } = "";
        public string gender { get; set; } = "";
        public string birth_date { get; set; } = "";
        public string grade { get; set; } = "";
        public string major { get; set; } = "";
        public string class_name { get; set; } = "";
        public string school { get; set; } = "";
        public string track { get; set; } = "";
        public string teacher_name { get; set; } = "";
        public string teacher_email { get; set; } = "";
        public long eligible { get; set; }
        public string? cohort { get; set; }
        public long in_roster { get; set; }
        public string created_at { get; set; } = "";
        public string updated_at { get; set; } = "";
        public string? student_email { get; set; }
        public string? phone { get; set; }

        /// <summary>Names of the fields that differ; the ID number's value is never written to the audit log.</summary>
        public List<string> ChangedFields(StoredStudent n)
        {
            var changes = new List<string>();
            void Check(string field, object? a, object? b) { if (!Equals(a, b)) changes.Add(field); }
            Check("student_number", student_number, n.student_number);
            Check("national_id", national_id, n.national_id);
            Check("name", name, n.name);
            Check("gender", gender, n.gender);
            Check("birth_date", birth_date, n.birth_date);
            Check("grade", grade, n.grade);
            Check("major", major, n.major);
            Check("class_name", class_name, n.class_name);
            Check("school", school, n.school);
            Check("track", track, n.track);
            Check("teacher_name", teacher_name, n.teacher_name);
            Check("teacher_email", teacher_email, n.teacher_email);
            Check("eligible", eligible, n.eligible);
            Check("cohort", cohort, n.cohort);
            Check("in_roster", in_roster, n.in_roster);
            Check("student_email", student_email, n.student_email);
            Check("phone", phone, n.phone);
            return changes;
        }
    }
}
