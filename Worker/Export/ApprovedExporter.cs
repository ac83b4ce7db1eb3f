using System.IO.Compression;
using System.Security.Cryptography;
using CollectionWorker.Campaign;
using CollectionWorker.Store;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Export;

/// <summary>
/// Hands the campaign's result over: for every eligible student whose latest submission is approved,
/// the original archived bytes (never re-encoded) under the configured name, one folder and one zip per
/// cohort, and a manifest. Safe to repeat: unchanged files stay, newly approved students are added, and
/// a file already exported that is no longer the latest approved photo is reported, never overwritten.
/// Every file is checked against the hard standards (<see cref="IHardStandards"/>: a 480x640 colour
/// JPEG by content) before it is written: a photo that fails is not exported, whoever approved it,
/// and the manifest says why.
/// </summary>
public sealed class ApprovedExporter(
    ProgressReport progress,
    Database database,
    DataPaths paths,
    CampaignClock clock,
    IHardStandards hardStandards,
    IOptions<ExportOptions> options,
    PaymentStanding payments,
    ILogger<ApprovedExporter> logger)
{
    // Fixed entry times make the zip of the same photos byte-identical on every run.
    private static readonly DateTimeOffset ZipEntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public string DefaultDirectory => options.Value.Directory.Length > 0 ? Path.GetFullPath(options.Value.Directory) : paths.Export;

    public const string ManifestStep = "写入清单 Writing the manifest";

    /// <summary>The progress step of one cohort's photos.</summary>
    public static string CohortStep(string cohort) => $"导出照片 Exporting photos: {cohort}";

    public async Task<ExportResult> ExportAsync(string? cohortFilter, string? outDirectory, CancellationToken ct = default, IProgress<WorkProgress>? shown = null)
    {
        var dir = Path.GetFullPath(outDirectory ?? DefaultDirectory);
        Directory.CreateDirectory(dir);
        var students = (await progress.StudentsAsync(ct: ct)).Where(s => s.Status != StudentStatus.NotEligible).ToList();
        var cohorts = students.Select(s => s.Cohort).Distinct().Order(StringComparer.Ordinal).ToList();
        if (cohortFilter is not null)
        {
            cohorts = cohorts.Where(c => c.Contains(cohortFilter, StringComparison.OrdinalIgnoreCase)).ToList();
            if (cohorts.Count == 0)
                throw new ArgumentException($"--cohort {cohortFilter}: no cohort of eligible students matches; cohorts are: {string.Join(", ", students.Select(s => s.Cohort).Distinct())}.");
        }

        var problems = new List<string>();
        var manifest = new List<ManifestRow>();
        var results = new List<CohortExport>();
        var now = UtcTimestamp.ToText(clock.UtcNow);
        await using var connection = await database.OpenAsync(ct);

        foreach (var cohort in cohorts)
        {
            var folderName = FolderName(cohort);
            var folder = Path.Combine(dir, folderName);
            Directory.CreateDirectory(folder);
            int added = 0, unchanged = 0, missing = 0, refused = 0;
            var refusedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var expected = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var members = students.Where(s => s.Cohort == cohort).OrderBy(s => s.StudentNumber, StringComparer.Ordinal).ToList();

            var done = 0;
            foreach (var s in members)
            {
                shown?.Report(new WorkProgress(CohortStep(cohort), done++, members.Count));
                if (s.Status != StudentStatus.Approved || s.Sha256 is null)
                {
                    missing++;
                    manifest.Add(Row(cohort, folderName, s, "", "", StudentStatusMachine.Bilingual(s.Status)));
                    continue;
                }
                var fileName = FileName(s);
                expected.Add(fileName);
                var target = Path.Combine(folder, fileName);
                var source = paths.ArchiveFileFor(s.Sha256);
                var exportedEarlier = File.Exists(target);
                if (await RefusedAsync(source, exportedEarlier, cohort, folderName, fileName, s, problems, manifest, ct))
                {
                    refused++;
                    refusedNames.Add(fileName);
                    expected.Remove(fileName);
                    continue;
                }
                if (File.Exists(target))
                {
                    var existing = await HashAsync(target, ct);
                    if (existing == s.Sha256) unchanged++;
                    else
                    {
                        problems.Add($"{Path.Combine(folderName, fileName)}: the exported file (SHA-256 {existing[..12]}…) is not the latest approved photo of {s.StudentNumber} {s.Name} ({s.Sha256[..12]}…); it was left as it is. Remove it and export again to replace it.");
                        manifest.Add(Row(cohort, folderName, s, fileName, existing, "冲突：已导出的文件不是最新通过的照片 / conflict: exported file is not the latest approved photo"));
                        continue;
                    }
                }
                else
                {
                    if (!File.Exists(source) || await HashAsync(source, ct) != s.Sha256)
                    {
                        problems.Add($"{s.StudentNumber} {s.Name}: the archived original {source} is missing or damaged; nothing was exported for this student.");
                        missing++;
                        manifest.Add(Row(cohort, folderName, s, "", "", "存档原图缺失或损坏 / archived original missing or damaged"));
                        continue;
                    }
                    var temp = target + ".tmp";
                    File.Copy(source, temp, overwrite: true);
                    File.Move(temp, target);
                    added++;
                }
                await connection.ExecuteAsync(
                    """
                    INSERT INTO exported_photos (student_id, submission_id, cohort, file_name, sha256, export_dir, exported_at)
                    VALUES (@Id, @SubmissionId, @cohort, @fileName, @Sha256, @dir, @now)
                    ON CONFLICT (submission_id, export_dir) DO NOTHING
                    """, new { s.Id, s.SubmissionId, cohort, fileName, s.Sha256, dir, now });
                manifest.Add(Row(cohort, folderName, s, fileName, s.Sha256, ""));
            }

            foreach (var extra in Directory.EnumerateFiles(folder).Select(Path.GetFileName).Where(f => !expected.Contains(f!) && !refusedNames.Contains(f!)))
                problems.Add($"{Path.Combine(folderName, extra!)}: this file is not the approved photo of any eligible student in {cohort}; it was left as it is.");

            shown?.Report(new WorkProgress(CohortStep(cohort), members.Count, members.Count));
            var zip = Path.Combine(dir, folderName + ".zip");
            WriteZip(zip, folder, expected);
            results.Add(new CohortExport(cohort, folder, zip, members.Count, added, unchanged, missing, refused));
            logger.LogInformation("Exported {Cohort}: {Added} added, {Unchanged} unchanged, {Missing} without an approved photo, {Refused} refused (not a 480x640 colour JPEG)",
                cohort, added, unchanged, missing, refused);
        }

        var manifestPath = Path.Combine(dir, cohortFilter is null ? "manifest.xlsx" : $"manifest-{FolderName(results[0].Cohort)}.xlsx");
        var unpaid = await ApprovedUnpaidAsync(students.Where(s => cohorts.Contains(s.Cohort)), ct);
        shown?.Report(WorkProgress.Started(ManifestStep));
        ExportManifest.Write(manifestPath, manifest, unpaid);
        return new ExportResult(dir, results, problems, manifestPath, unpaid?.Count);
    }

    /// <summary>Approved students of the exported cohorts who have not fully paid; null before any payment export is imported.</summary>
    private async Task<List<UnpaidRow>?> ApprovedUnpaidAsync(IEnumerable<StudentProgress> students, CancellationToken ct)
    {
        var book = await payments.ReadAsync(ct);
        if (!book.Imported) return null;
        return students.Where(s => s.Status == StudentStatus.Approved && !book.IsPaid(s.Id))
            .OrderBy(s => s.Cohort, StringComparer.Ordinal).ThenBy(s => s.StudentNumber, StringComparer.Ordinal)
            .Select(s => new UnpaidRow(s.Cohort, s.StudentNumber, s.Name, s.ClassName, s.TeacherName, book.For(s.Id).Bilingual,
                s.DecidedAt is { } d ? clock.Format(d) : ""))
            .ToList();
    }

    /// <summary>
    /// True when the approved photo fails a hard standard: it is not written (an earlier copy in the export
    /// folder is left for the admin to remove, and kept out of the zip), the manifest and the problems say why.
    /// </summary>
    private async Task<bool> RefusedAsync(string file, bool earlier, string cohort, string folderName, string fileName, StudentProgress s,
        List<string> problems, List<ManifestRow> manifest, CancellationToken ct)
    {
        if (!File.Exists(file)) return false; // reported below as a missing original
        var failed = await hardStandards.FailuresOfFileAsync(file, ct);
        if (failed.Count == 0) return false;
        problems.Add($"{s.StudentNumber} {s.Name}: not exported, the approved photo is not a 480x640 colour JPEG: {StandardFailures.DescribeEn(failed)}" +
            (earlier ? $"; the copy exported earlier ({Path.Combine(folderName, fileName)}) is left out of the zip: remove it." : "."));
        manifest.Add(Row(cohort, folderName, s, "", "",
            $"未导出：不符合硬性标准 {StandardFailures.DescribeZh(failed)} / not exported, fails a hard standard: {StandardFailures.DescribeEn(failed)}"));
        return true;
    }

    /// <summary>"广东理工职业学院 2021级 三二分段" → "广东理工职业学院_2021级_三二分段": safe on Windows and Linux.</summary>
    public static string FolderName(string cohort) =>
        new string(cohort.Trim().Select(ch => char.IsWhiteSpace(ch) || Path.GetInvalidFileNameChars().Contains(ch) || ch is ':' or '*' or '?' ? '_' : ch).ToArray());

    private string FileName(StudentProgress s) => options.Value.FileNamePattern
        .Replace("{身份证号}", s.NationalId).Replace("{学号}", s.StudentNumber)
        .Replace("{姓名}", new string(s.Name.Where(ch => !Path.GetInvalidFileNameChars().Contains(ch)).ToArray()));

    private ManifestRow Row(string cohort, string folder, StudentProgress s, string file, string sha, string note) => new(
        cohort, folder, s.StudentNumber, s.Name, s.NationalId, StudentStatusMachine.Bilingual(s.Status), file, sha,
        s.LastUploadAt is { } u ? clock.Format(u) : "", s.Status == StudentStatus.Approved && s.DecidedAt is { } d ? clock.Format(d) : "",
        s.Status == StudentStatus.Approved ? s.DecidedBy ?? "" : "", note);

    private static void WriteZip(string zipPath, string folder, IEnumerable<string> files)
    {
        var temp = zipPath + ".tmp";
        using (var stream = File.Create(temp))
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
        {
            foreach (var name in files.Where(f => File.Exists(Path.Combine(folder, f))).Order(StringComparer.Ordinal))
            {
                // JPEGs do not compress; storing keeps the export fast and the bytes exactly as approved.
                var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
                entry.LastWriteTime = ZipEntryTime;
                using var to = entry.Open();
                using var from = File.OpenRead(Path.Combine(folder, name));
                from.CopyTo(to);
            }
        }
        File.Move(temp, zipPath, overwrite: true);
    }

    public static async Task<string> HashAsync(string file, CancellationToken ct)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
