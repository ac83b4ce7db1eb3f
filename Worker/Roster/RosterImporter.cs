using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
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
        var at = time.GetUtcNow();
        var now = UtcTimestamp.ToText(at);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (DbTransaction)await connection.BeginTransactionAsync(ct);

        var existing = (await connection.QueryAsync<StoredStudent>("SELECT * FROM students", transaction: tx)).ToList();
        var byNumber = new Dictionary<string, StoredStudent>(existing.Count, StringComparer.OrdinalIgnoreCase);
        var byId = new Dictionary<string, StoredStudent>(existing.Count, StringComparer.Ordinal);
        foreach (var s in existing)
        {
            byNumber[s.student_number] = s;
            byId[s.national_id] = s;
        }
        var seen = new HashSet<long>();
        int added = 0, updated = 0, unchanged = 0, done = 0;

        // Every statement is prepared once for the whole file; each student is one execution of it, with its audit line.
        await using var rows = new StudentRows(connection, tx);
        await using var audit = AuditLog.Prepare(connection, tx, at, actor);
        var fileDetail = AuditLog.Detail(new { file = fileName });

        foreach (var r in records)
        {
            // The display redraws a few times a second at most; telling it every row would cost more than the row.
            if (done++ % ProgressEvery == 0) progress?.Report(new WorkProgress(StoringStep, done - 1, records.Count));
            var current = byNumber.GetValueOrDefault(r.StudentNumber) ?? byId.GetValueOrDefault(r.NationalId);
            var row = new StoredStudent
            {
                id = current?.id ?? 0, student_number = r.StudentNumber, national_id = r.NationalId, name = r.Name, gender = r.Gender,
                birth_date = r.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), grade = r.Grade, major = r.Major, class_name = r.ClassName,
                school = r.School, track = r.Track, teacher_name = r.TeacherName, teacher_email = r.TeacherEmail,
                eligible = r.Eligible ? 1 : 0, cohort = r.Cohort, in_roster = 1, created_at = current?.created_at ?? now, updated_at = now,
                // Without the column in this file the stored contact stays; an empty cell clears it.
                student_email = r.StudentEmail is null ? current?.student_email : NullIfEmpty(r.StudentEmail),
                phone = r.Phone is null ? current?.phone : NullIfEmpty(r.Phone),
            };
            if (current is null)
            {
                await rows.AddAsync(row, ct);
                await audit.WriteAsync("student.added", r.StudentNumber, fileDetail, ct);
                added++;
                continue;
            }
            seen.Add(current.id);
            var changes = current.ChangedFields(row);
            if (changes.Count == 0)
            {
                unchanged++;
                continue;
            }
            await rows.ChangeAsync(row, ct);
            await audit.WriteAsync("student.updated", r.StudentNumber, AuditLog.Detail(new { file = fileName, changes }), ct);
            updated++;
        }

        progress?.Report(new WorkProgress(StoringStep, records.Count, records.Count));
        var missing = existing.Where(s => !seen.Contains(s.id) && s.in_roster == 1).ToList();
        foreach (var s in missing)
        {
            await rows.FlagMissingAsync(s.id, now, ct);
            await audit.WriteAsync("student.missing_from_roster", s.student_number, fileDetail, ct);
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

    /// <summary>How many rows go by between two reports to the progress display.</summary>
    private const int ProgressEvery = 250;

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
