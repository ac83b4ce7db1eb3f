using CollectionWorker.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Inspection;

/// <summary>
/// The standards no reviewer may overturn: the national record takes only a 480x640 colour JPEG.
/// Checked with the inspection's own file stage and every check that can reject on something other
/// than a judgement call (such as a grayscale check). The core codes (<see cref="Core"/>: not a
/// complete JPEG by content, not 480x640, not 24-bit colour) reject whatever <c>Inspection:Severity</c>
/// says — that policy decides what goes to the studio, never what the national record accepts; the
/// other file codes (progressive, quality) follow the policy.
/// Used where a photo leaves: the review import (an approval) and <c>export-approved</c>.
/// </summary>
public sealed class HardStandards : IHardStandards
{
    /// <summary>
    /// Judgement calls: measured heuristically on pixels, so a person may overrule them even when they
    /// reject by default (a light-blue backdrop measured too far from the reference, a face the model missed).
    /// Every other code that rejects by default is a hard standard — a new check's code included.
    /// </summary>
    private static readonly string[] JudgementPrefixes =
        ["BG_", "EXPOSURE_", "LIGHT_", "CLOTHING_", "FACE_", "BLUR", "COLOR_CAST", PhotoInspector.CheckFailed];

    /// <summary>What makes a file "a 480x640 colour JPEG": these reject at every exit, whatever the policy.</summary>
    public static readonly IReadOnlySet<string> Core = new HashSet<string>(StringComparer.Ordinal)
    {
        FileFindings.Empty, FileFindings.TooLarge, FileFindings.NotJpeg, FileFindings.Corrupt, FileFindings.Truncated,
        FileFindings.TooManyPixels, FileFindings.WrongSize, FileFindings.Stretched, FileFindings.ColorDepth,
    };

    private readonly PhotoInspector _inspector;
    private readonly long _maxBytes;

    public HardStandards(IOptions<InspectionOptions> options, IEnumerable<IPhotoCheck> checks, ILogger<HardStandards> logger)
    {
        var o = options.Value;
        _maxBytes = o.File.MaxFileMegabytes * 1024L * 1024L;
        // The same limits and policy, except that the policy cannot loosen the core codes.
        var policy = new Dictionary<string, string>(o.Severity.Where(kv => !Core.Contains(kv.Key.ToUpperInvariant())), StringComparer.OrdinalIgnoreCase);
        var standard = new InspectionOptions { File = o.File, Background = o.Background, Light = o.Light, Clothing = o.Clothing, Face = o.Face, Severity = policy };
        // Only checks that can report a hard standard run: the face model and the backdrop analysis are judgement calls.
        _inspector = new PhotoInspector(standard, checks.Where(c => c.Definitions.Any(IsHardDefinition)), logger);
    }

    public static bool IsJudgement(string code) => JudgementPrefixes.Any(p => code.StartsWith(p, StringComparison.Ordinal));

    public static bool IsHardDefinition(FindingDefinition d) => d.DefaultSeverity == Severity.Reject && !IsJudgement(d.Code);

    /// <summary>The hard standards <paramref name="bytes"/> fails; empty when the photo may go to the national record.</summary>
    public IReadOnlyList<Finding> Check(byte[] bytes, string fileName) =>
        _inspector.Inspect(bytes, fileName, annotate: false).Findings
            .Where(f => f.Severity == Severity.Reject && !IsJudgement(f.Code)).ToList();

    /// <summary>Reads a file (an archived original) and checks it; a missing file fails with a finding of its own.</summary>
    public async Task<IReadOnlyList<Finding>> CheckFileAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path))
            return [new Finding("ARCHIVE_MISSING", Severity.Reject, Path.GetFileName(path), "the archived original",
                "存档原图缺失，无法确认照片符合标准", "the archived original is missing; the photo cannot be checked")];
        // A file too large to be a photo is refused without being read.
        if (new FileInfo(path).Length > _maxBytes)
            return _inspector.InspectFile(path, annotate: false).Findings.Where(f => f.Severity == Severity.Reject && !IsJudgement(f.Code)).ToList();
        return Check(await File.ReadAllBytesAsync(path, ct), Path.GetFileName(path));
    }

    async Task<IReadOnlyList<StandardFailure>> IHardStandards.FailuresOfFileAsync(string path, CancellationToken ct) =>
        (await CheckFileAsync(path, ct)).Select(ToFailure).ToList();

    bool IHardStandards.IsJudgement(string code) => IsJudgement(code);

    public static StandardFailure ToFailure(Finding f) => new(f.Code, f.Value, f.Limit, f.MessageZh, f.MessageEn);

    /// <summary>"文件内容不是 JPG… (PNG content; 应为 JPEG)" — one line per failed standard, Chinese first.</summary>
    public static string DescribeZh(IEnumerable<Finding> findings) => StandardFailures.DescribeZh(findings.Select(ToFailure));

    public static string DescribeEn(IEnumerable<Finding> findings) => StandardFailures.DescribeEn(findings.Select(ToFailure));
}
