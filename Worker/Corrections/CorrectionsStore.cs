using System.Security.Cryptography;
using CollectionWorker.Sheets;
using CollectionWorker.Store;
using Dapper;
using System.Data.Common;

namespace CollectionWorker.Corrections;

/// <summary>A student's diploma details as the store has them now.</summary>
public sealed record StudentOnRecord(long Id, string StudentNumber, string NationalId, string Name, string Gender, string BirthDate, string Grade,
    string Major, string ClassName, string TeacherName, string TeacherEmail, bool InRoster)
{
    public string Value(DiplomaField field) => field switch
    {
        DiplomaField.Name => Name,
        DiplomaField.Gender => Gender,
        DiplomaField.StudentNumber => StudentNumber,
        DiplomaField.NationalId => NationalId,
        DiplomaField.BirthDate => BirthDate,
        DiplomaField.Grade => Grade,
        DiplomaField.Major => Major,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}

/// <summary>One correction as the admin's consolidated workbook lists it.</summary>
public sealed record CorrectionEntry(long Id, string StudentNumber, string StudentName, string ClassName, DiplomaField Field, string OldValue,
    string NewValue, string Note, string TeacherName, string TeacherEmail, DateTimeOffset ReceivedAt, CorrectionStatus Status, DateTimeOffset StatusAt,
    string FileName);

public enum CorrectionStatus { Pending, Applied, Superseded }

/// <summary>An accepted correction about to be stored.</summary>
public sealed record NewCorrection(long StudentId, DiplomaField Field, string OldValue, string NewValue, string Note, int SheetRow);

/// <summary>
/// The corrections stage's one data-access class: it owns correction_secret, correction_imports and
/// corrections (migration 0011), and reads students (the roster's) to check a correction and to see
/// when a later roster import has applied one.
/// </summary>
public sealed class CorrectionsStore(Database database)
{
    private const string StudentColumns =
        "id, student_number, national_id, name, gender, birth_date, grade, major, class_name, teacher_name, teacher_email, in_roster";

    /// <summary>The secret of the row keys and teacher seals: made once, on first use, and kept in the store.</summary>
    public async Task<byte[]> SecretAsync(CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        var secret = await c.ExecuteScalarAsync<string?>("SELECT secret FROM correction_secret WHERE id = 1");
        if (secret is null)
        {
            await c.ExecuteAsync("INSERT INTO correction_secret (id, secret) VALUES (1, @secret) ON CONFLICT (id) DO NOTHING",
                new { secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) });
            // Whoever wrote first wins; everyone reads the same one back.
            secret = await c.ExecuteScalarAsync<string>("SELECT secret FROM correction_secret WHERE id = 1");
        }
        return Convert.FromHexString(secret!);
    }

    public async Task<StudentOnRecord?> StudentAsync(long id, CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QuerySingleOrDefaultAsync<StudentRow>($"SELECT {StudentColumns} FROM students WHERE id = @id", new { id }))?.ToRecord();
    }

    /// <summary>The student other than <paramref name="exceptId"/> who already has this student number or ID number, if any.</summary>
    public async Task<StudentOnRecord?> HolderAsync(DiplomaField field, string value, long exceptId, CancellationToken ct = default)
    {
        var column = field switch
        {
            DiplomaField.StudentNumber => "student_number",
            DiplomaField.NationalId => "national_id",
            _ => throw new ArgumentOutOfRangeException(nameof(field), "only student numbers and ID numbers are unique"),
        };
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryFirstOrDefaultAsync<StudentRow>(
            $"SELECT {StudentColumns} FROM students WHERE {column} = @value COLLATE NOCASE AND id <> @exceptId", new { value, exceptId }))?.ToRecord();
    }

    /// <summary>When a correction of this student's detail to this value is already waiting, when it arrived.</summary>
    public async Task<DateTimeOffset?> PendingSinceAsync(long studentId, DiplomaField field, string newValue, CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        var at = await c.ExecuteScalarAsync<string?>(
            "SELECT min(received_at) FROM corrections WHERE student_id = @studentId AND field = @field AND new_value = @newValue AND status = 'pending'",
            new { studentId, field = CorrectionSheetLayout.Code(field), newValue });
        return at is null ? null : UtcTimestamp.Parse(at);
    }

    /// <summary>
    /// Records a returned workbook and its accepted corrections in the caller's transaction: a newer
    /// correction of the same detail replaces one still pending. Returns the import's id.
    /// </summary>
    public static async Task<long> RecordAsync(DbConnection c, DbTransaction tx, string fileName, string sha256, string teacherEmail,
        string teacherName, DateTimeOffset now, string receiptFile, string summary, IReadOnlyList<NewCorrection> corrections)
    {
        var at = UtcTimestamp.ToText(now);
        var importId = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO correction_imports (file_name, sha256, teacher_email, teacher_name, received_at, receipt_file, summary)
            VALUES (@fileName, @sha256, @teacherEmail, @teacherName, @at, @receiptFile, @summary) RETURNING id
            """, new { fileName, sha256, teacherEmail, teacherName, at, receiptFile, summary }, tx);
        foreach (var n in corrections)
        {
            var field = CorrectionSheetLayout.Code(n.Field);
            await c.ExecuteAsync(
                "UPDATE corrections SET status = 'superseded', status_at = @at WHERE student_id = @StudentId AND field = @field AND status = 'pending'",
                new { at, n.StudentId, field }, tx);
            await c.ExecuteAsync(
                """
                INSERT INTO corrections (import_id, student_id, field, old_value, new_value, note, teacher_email, teacher_name, sheet_row, received_at, status, status_at)
                VALUES (@importId, @StudentId, @field, @OldValue, @NewValue, @Note, @teacherEmail, @teacherName, @SheetRow, @at, 'pending', @at)
                """, new { importId, n.StudentId, field, n.OldValue, n.NewValue, n.Note, teacherEmail, teacherName, n.SheetRow, at }, tx);
        }
        return importId;
    }

    /// <summary>
    /// Marks applied every pending correction whose student now has the corrected value (the admin
    /// imported a corrected roster). Returns how many changed.
    /// </summary>
    public async Task<int> MarkAppliedAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        // Asked every few seconds: take the write lock only when something is waiting.
        if (!await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM corrections WHERE status = 'pending')")) return 0;
        await using var tx = (DbTransaction)await c.BeginTransactionAsync(ct);
        var pending = (await c.QueryAsync<(long Id, long StudentId, string Field, string NewValue)>(
            "SELECT id, student_id, field, new_value FROM corrections WHERE status = 'pending'", transaction: tx)).ToList();
        var changed = 0;
        foreach (var group in pending.GroupBy(p => p.StudentId))
        {
            var student = (await c.QuerySingleOrDefaultAsync<StudentRow>($"SELECT {StudentColumns} FROM students WHERE id = @id", new { id = group.Key }, tx))?.ToRecord();
            if (student is null) continue;
            foreach (var p in group)
            {
                if (CorrectionSheetLayout.FromCode(p.Field) is not { } field || !SameValue(field, student.Value(field), p.NewValue)) continue;
                changed += await c.ExecuteAsync("UPDATE corrections SET status = 'applied', status_at = @at WHERE id = @Id",
                    new { at = UtcTimestamp.ToText(now), p.Id }, tx);
                await AuditLog.WriteAsync(c, tx, now, "corrections", "correction applied", $"student:{student.Id}",
                    new { correction = p.Id, field = p.Field, student_number = student.StudentNumber });
            }
        }
        await tx.CommitAsync(ct);
        return changed;
    }

    /// <summary>Student numbers compare without case (as the roster's uniqueness does); everything else exactly.</summary>
    public static bool SameValue(DiplomaField field, string onRecord, string value) =>
        string.Equals(onRecord, value, field == DiplomaField.StudentNumber ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Every correction with its student, pending first, then newest first.</summary>
    public async Task<List<CorrectionEntry>> AllAsync(CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        var rows = await c.QueryAsync<EntryRow>(
            """
            SELECT k.id, s.student_number, s.name AS student_name, s.class_name, k.field, k.old_value, k.new_value, k.note, k.teacher_name,
                   k.teacher_email, k.received_at, k.status, k.status_at, i.file_name
            FROM corrections k JOIN students s ON s.id = k.student_id JOIN correction_imports i ON i.id = k.import_id
            ORDER BY CASE k.status WHEN 'pending' THEN 0 WHEN 'applied' THEN 1 ELSE 2 END, k.received_at DESC, k.id
            """);
        return rows.Select(r => new CorrectionEntry(r.id, r.student_number, r.student_name, r.class_name,
            CorrectionSheetLayout.FromCode(r.field) ?? throw new InvalidOperationException($"correction {r.id} has an unknown field '{r.field}'"),
            r.old_value, r.new_value, r.note, r.teacher_name, r.teacher_email, UtcTimestamp.Parse(r.received_at), ParseStatus(r.status),
            UtcTimestamp.Parse(r.status_at), r.file_name)).ToList();
    }

    /// <summary>
    /// Changes whenever a correction is added or changes state, or a roster is imported (names and classes
    /// shown beside the corrections may have changed): the consolidated workbook is rewritten when it moves.
    /// </summary>
    public async Task<string> VersionAsync(CancellationToken ct = default)
    {
        await using var c = await database.OpenAsync(ct);
        var (count, latest, roster) = await c.QuerySingleAsync<(long, string?, long?)>(
            "SELECT count(*), max(status_at), (SELECT max(id) FROM roster_imports) FROM corrections");
        return $"{count}:{latest}:{roster}";
    }

    private static CorrectionStatus ParseStatus(string text) => text switch
    {
        "pending" => CorrectionStatus.Pending,
        "applied" => CorrectionStatus.Applied,
        "superseded" => CorrectionStatus.Superseded,
        _ => throw new InvalidOperationException($"unknown correction status '{text}'"),
    };

    private sealed class StudentRow
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
        public string teacher_name { get; set; } = "";
        public string teacher_email { get; set; } = "";
        public long in_roster { get; set; }

        public StudentOnRecord ToRecord() => new(id, student_number, national_id, name, gender, birth_date, grade, major, class_name, teacher_name,
            teacher_email, in_roster == 1);
    }

    private sealed class EntryRow
    {
        public long id { get; set; }
        public string student_number { get; set; } = "";
        public string student_name { get; set; } = "";
        public string class_name { get; set; } = "";
        public string field { get; set; } = "";
        public string old_value { get; set; } = "";
        public string new_value { get; set; } = "";
        public string note { get; set; } = "";
        public string teacher_name { get; set; } = "";
        public string teacher_email { get; set; } = "";
        public string received_at { get; set; } = "";
        public string status { get; set; } = "";
        public string status_at { get; set; } = "";
        public string file_name { get; set; } = "";
    }
}
