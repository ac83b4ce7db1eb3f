using System.Security.Cryptography;
using CollectionWorker.Campaign;
using CollectionWorker.Sheets;
using CollectionWorker.Store;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using static CollectionWorker.Corrections.CorrectionOutcomeKind;

namespace CollectionWorker.Corrections;

/// <summary>A returned workbook after import: every correction's outcome, the receipt, and where the file went.</summary>
public sealed record CorrectionImportResult(string File, string Moved, string? Receipt, string TeacherName, IReadOnlyList<CorrectionOutcome> Outcomes,
    string? ErrorZh = null, string? ErrorEn = null)
{
    public bool Succeeded => ErrorZh is null;
    public int Count(CorrectionOutcomeKind kind) => Outcomes.Count(o => o.Kind == kind);

    public string Summary => Succeeded
        ? $"{Path.GetFileName(File)} from {TeacherName}: {Count(Accepted)} accepted, {Count(AlreadyReceived)} already received, {Count(Unchanged)} same as on record, " +
          $"{Outcomes.Count(o => o.Refused)} refused"
        : $"{Path.GetFileName(File)}: not read: {ErrorEn}";
}

/// <summary>
/// Takes a teacher's returned roster from corrections-inbox/: checks the workbook (size, kind, the sealed
/// teacher it was sent to), then every typed correction (the row's key, that the student is that teacher's,
/// the checks of <see cref="CorrectionChecker"/>, that a new student or ID number is nobody else's), records
/// the accepted ones with the receipt e-mail to the teacher in one transaction, and moves the file to
/// processed/ beside its receipt workbook. A workbook that cannot be read or trusted goes to failed/ with a
/// reason file and changes nothing. The roster itself is never changed here.
/// </summary>
public sealed class CorrectionImporter(
    CorrectionsStore store,
    ICorrectionSeals seals,
    IOutbox outbox,
    Database database,
    DataPaths paths,
    CorrectionReceiptWorkbook receipts,
    CampaignClock clock,
    TimeProvider time,
    ILogger<CorrectionImporter> logger)
{
    public const string ReceiptTemplate = "corrections-receipt";

    public async Task<CorrectionImportResult> ImportAsync(string file, CancellationToken ct = default)
    {
        var fileName = Path.GetFileName(file);
        var now = time.GetUtcNow();
        var stamp = clock.FileStamp(now);
        CorrectionSheetContent content;
        try
        {
            content = CorrectionSheetReader.Read(file);
        }
        catch (CorrectionSheetException e)
        {
            return await FailAsync(file, stamp, now, e.MessageZh, e.MessageEn, ct);
        }
        catch (Exception e) when (e is not (OperationCanceledException or System.Data.Common.DbException or StoreUnusableException or IOException))
        {
            logger.LogError(e, "Corrections workbook {File} could not be read", fileName);
            return await FailAsync(file, stamp, now, $"无法读取该工作簿（{e.GetType().Name}）：请在 Excel 中打开并重新保存为 .xlsx",
                $"the workbook could not be read ({e.GetType().Name}: {e.Message}): open it in Excel and save it again as .xlsx", ct);
        }

        var seal = await seals.SealAsync(ct);
        if (content.TeacherEmail.Length == 0 || !seal.IsTeacherSeal(content.Seal, content.TeacherEmail, content.IssuedAt))
            return await FailAsync(file, stamp, now,
                "此名单的隐藏班主任信息被改动，或名单不是本系统发出的，未处理任何更正：请让班主任在系统最近发送的名单上填写后再交回",
                "the hidden teacher details of this roster were altered, or it was not sent by this service; no correction was taken: ask the teacher to fill in the latest roster the service sent", ct);

        var outcomes = new List<CorrectionOutcome>();
        var accepted = new List<NewCorrection>();
        foreach (var row in content.Rows)
            outcomes.AddRange(await CheckRowAsync(row, content, seal, accepted, ct));

        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file, ct)));
        var receipt = Path.Combine(paths.CorrectionsProcessed, $"{stamp}_{Path.GetFileNameWithoutExtension(fileName)}.receipt.xlsx");
        var moved = Path.Combine(paths.CorrectionsProcessed, $"{stamp}_{fileName}");
        var result = new CorrectionImportResult(file, moved, receipt, content.TeacherName, outcomes);
        Directory.CreateDirectory(paths.CorrectionsProcessed);
        // The receipt exists before its e-mail is queued: the sender attaches it from processed/.
        await File.WriteAllBytesAsync(receipt, receipts.Build(fileName, content.TeacherName, content.TeacherEmail, now, outcomes), ct);

        await using (var c = await database.OpenAsync(ct))
        {
            await using var tx = (DbTransaction)await c.BeginTransactionAsync(ct);
            var importId = await CorrectionsStore.RecordAsync(c, tx, fileName, sha, content.TeacherEmail, content.TeacherName, now,
                Path.GetFileName(receipt), result.Summary, accepted);
            await AuditLog.WriteAsync(c, tx, now, content.TeacherName, "corrections received", $"correction-import:{importId}", new
            {
                file = fileName, teacher = content.TeacherEmail, receipt = Path.GetFileName(receipt),
                counts = outcomes.GroupBy(o => o.Kind).ToDictionary(g => g.Key.ToString(), g => g.Count()),
            });
            await QueueReceiptAsync(c, tx, content, sha, fileName, receipt, outcomes);
            await tx.CommitAsync(ct);
        }
        File.Move(file, moved, overwrite: true);
        logger.LogInformation("Corrections imported: {Summary}; receipt {Receipt}", result.Summary, receipt);
        return result;
    }

    private async Task<List<CorrectionOutcome>> CheckRowAsync(CorrectionSheetRow row, CorrectionSheetContent content, CorrectionSeal seal,
        List<NewCorrection> accepted, CancellationToken ct)
    {
        var list = new List<CorrectionOutcome>();
        // A row refused as a whole: one outcome per typed correction, each saying why.
        List<CorrectionOutcome> Refuse(CorrectionOutcomeKind kind, string zh, string en) =>
            row.Typed.Keys.Concat(row.Unreadable.Keys).Select(f => new CorrectionOutcome(row.Row, row.RecordNumber, row.RecordName, f, "",
                Shown(f, row.Typed.GetValueOrDefault(f) ?? row.Unreadable[f]), kind, zh, en)).DefaultIfEmpty(
                new CorrectionOutcome(row.Row, row.RecordNumber, row.RecordName, null, "", "", kind, zh, en)).ToList();

        if (row.Key.Length == 0)
            return Refuse(Tampered, "此行没有隐藏键（可能是手工添加或复制的行），未处理：请在系统发送的名单中该学生所在的行填写",
                "this row has no hidden key (perhaps added or copied by hand); not taken: fill in the student's own row of the roster the service sent");
        if (seal.StudentOf(row.Key) is not { } studentId)
            return Refuse(Tampered, "此行的隐藏键被改动或不是本系统生成的，未处理：请在系统发送的名单中该学生所在的行填写",
                "this row's hidden key was altered or was not made by this service; not taken: fill in the student's own row of the roster the service sent");
        var student = await store.StudentAsync(studentId, ct);
        if (student is null)
            return Refuse(UnknownStudent, "名单中已没有该学生，未处理", "the student is no longer in the store; not taken");
        if (!string.Equals(student.TeacherEmail, content.TeacherEmail, StringComparison.OrdinalIgnoreCase))
            return Refuse(NotYours, $"{student.Name}（{student.StudentNumber}）不是 {content.TeacherName} 的学生（班主任为 {student.TeacherName}），未处理：请由该学生的班主任提交更正",
                $"{student.StudentNumber} is not a student of {content.TeacherName} (their class teacher is {student.TeacherName}); not taken: their own class teacher must send the correction");
        if (row.Typed.Count == 0 && row.Unreadable.Count == 0)
            return [new CorrectionOutcome(row.Row, student.StudentNumber, student.Name, null, "", "", NoteOnly,
                $"只有备注“{row.Note}”，没有填写更正内容；如信息有误，请在对应的黄色格子里填写正确的值",
                $"only a note ('{row.Note}') and no correction; if a detail is wrong, type the correct value in its yellow cell")];

        CorrectionOutcome Out(DiplomaField f, string value, CorrectionOutcomeKind kind, string zh, string en) =>
            new(row.Row, student.StudentNumber, student.Name, f, Shown(f, student.Value(f)), Shown(f, value), kind, zh, en);
        foreach (var (f, digits) in row.Unreadable)
            list.Add(Out(f, digits, Invalid, $"Excel 把{CorrectionSheetLayout.Chinese(f)}存成了数字，超过 15 位的部分已丢失：请把该单元格设为“文本”后重新填写完整号码",
                $"Excel stored the {CorrectionSheetLayout.English(f)} as a number and lost the digits past the 15th: format the cell as Text and type the whole number again"));

        foreach (var check in CorrectionChecker.Check(student, row.Typed))
        {
            var f = check.Field;
            if (!check.Valid)
            {
                list.Add(Out(f, check.Typed, Invalid, check.ErrorZh, check.ErrorEn));
                continue;
            }
            var value = check.NewValue!;
            if (CorrectionsStore.SameValue(f, student.Value(f), value))
                list.Add(Out(f, value, Unchanged, "与现有信息相同，无需更正", "the same as on record; nothing to correct"));
            else if (f is DiplomaField.StudentNumber or DiplomaField.NationalId && await store.HolderAsync(f, value, student.Id, ct) is not null)
                list.Add(Out(f, value, Invalid, $"该{CorrectionSheetLayout.Chinese(f)}已属于另一名学生，请核对",
                    $"this {CorrectionSheetLayout.English(f)} already belongs to another student: check it"));
            else if (await store.PendingSinceAsync(student.Id, f, value, ct) is { } since)
                list.Add(Out(f, value, AlreadyReceived, $"已于 {clock.Format(since)} 收到相同的更正，等待教务处处理",
                    $"the same correction was received at {clock.Format(since)} and awaits the academic office"));
            else
            {
                accepted.Add(new NewCorrection(student.Id, f, student.Value(f), value, row.Note, row.Row));
                list.Add(Out(f, value, Accepted, "已收到，等待教务处更正名单", "received; the academic office will correct the roster"));
            }
        }
        return list;
    }

    /// <summary>ID numbers leave the server only masked (the receipt and its e-mail go to the teacher).</summary>
    private static string Shown(DiplomaField field, string value) => field == DiplomaField.NationalId ? NationalId.Mask(value) : value;

    private async Task<CorrectionImportResult> FailAsync(string file, string stamp, DateTimeOffset now, string zh, string en, CancellationToken ct)
    {
        var fileName = Path.GetFileName(file);
        Directory.CreateDirectory(paths.CorrectionsFailed);
        var moved = Path.Combine(paths.CorrectionsFailed, $"{stamp}_{fileName}");
        File.Move(file, moved, overwrite: true);
        await File.WriteAllTextAsync(moved + ".reason.txt",
            $"{fileName} 未处理，没有收下任何更正：{zh}\n{fileName} was not read and no correction was taken: {en}\n", ct);
        await using (var c = await database.OpenAsync(ct))
            await AuditLog.WriteAsync(c, null, now, "corrections", "corrections workbook refused", $"file:{fileName}", new { file = fileName, reason = zh, reason_en = en });
        logger.LogWarning("Corrections workbook {File} moved to {Target}: {Reason}", fileName, moved, en);
        return new CorrectionImportResult(file, moved, null, "", [], zh, en);
    }

    /// <summary>The receipt goes to the teacher the workbook was sent to, once per distinct file (keyed by its SHA-256).</summary>
    private async Task QueueReceiptAsync(DbConnection c, DbTransaction tx, CorrectionSheetContent content, string sha, string fileName,
        string receipt, IReadOnlyList<CorrectionOutcome> outcomes)
    {
        var refused = outcomes.Where(o => o.Refused).ToList();
        await outbox.EnqueueAsync(c, tx, new OutboxMessage($"corrections-receipt:{sha}", ReceiptTemplate, content.TeacherEmail, content.TeacherName, new
        {
            File = fileName, Receipt = Path.GetFileName(receipt),
            Accepted = outcomes.Count(o => o.Kind == Accepted),
            AlreadyReceived = outcomes.Count(o => o.Kind == AlreadyReceived),
            Unchanged = outcomes.Count(o => o.Kind is Unchanged or NoteOnly),
            RefusedCount = refused.Count,
            Refused = refused.Take(100).Select(o => new
            {
                o.Row, o.StudentNumber, o.Name, Field = o.Field is { } f ? CorrectionSheetLayout.Bilingual(f) : "",
                Message = o.MessageZh, o.MessageEn,
            }),
        }));
    }
}
