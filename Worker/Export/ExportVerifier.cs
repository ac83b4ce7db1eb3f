using CollectionWorker.Store;

namespace CollectionWorker.Export;

/// <summary>What verify-export found: files the manifest lists but are absent, not listed, or changed.</summary>
public sealed record VerifyResult(int Checked, IReadOnlyList<string> Missing, IReadOnlyList<string> Extra, IReadOnlyList<string> Altered)
{
    public bool Ok => Missing.Count == 0 && Extra.Count == 0 && Altered.Count == 0;
}

/// <summary>Re-hashes an export (a copy the office is about to upload) against its manifest workbooks.</summary>
public static class ExportVerifier
{
    public const string ReadingStep = "读取清单 Reading the manifest";
    public const string HashingStep = "核对照片 Re-hashing the photos";

    public static async Task<VerifyResult> VerifyAsync(string directory, CancellationToken ct = default, IProgress<WorkProgress>? progress = null)
    {
        var manifests = Directory.Exists(directory) ? Directory.GetFiles(directory, "manifest*.xlsx") : [];
        if (manifests.Length == 0)
            throw new FileNotFoundException($"{directory}: no manifest.xlsx here; give the folder export-approved wrote.");
        progress?.Report(WorkProgress.Started(ReadingStep));
        var listed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in manifests)
            foreach (var (folder, file, sha) in ExportManifest.ReadFiles(m))
                listed[Path.Combine(folder, file)] = sha;

        var missing = new List<string>();
        var altered = new List<string>();
        var done = 0;
        foreach (var (relative, sha) in listed.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            progress?.Report(new WorkProgress(HashingStep, done++, listed.Count));
            var path = Path.Combine(directory, relative);
            if (!File.Exists(path)) missing.Add(relative);
            else if (await ApprovedExporter.HashAsync(path, ct) != sha) altered.Add(relative);
        }
        progress?.Report(new WorkProgress(HashingStep, listed.Count, listed.Count));
        var folders = listed.Keys.Select(k => Path.GetDirectoryName(k)!).Distinct();
        var extra = folders.Where(f => Directory.Exists(Path.Combine(directory, f)))
            .SelectMany(f => Directory.EnumerateFiles(Path.Combine(directory, f)).Select(p => Path.Combine(f, Path.GetFileName(p))))
            .Where(p => !listed.ContainsKey(p)).Order(StringComparer.Ordinal).ToList();
        return new VerifyResult(listed.Count, missing, extra, altered);
    }
}
