using System.Text;
using CollectionWorker.Campaign;
using CollectionWorker.Store;

namespace CollectionWorker.Intake;

/// <summary>Why a file was kept aside: a stable code and the reason in Chinese and English.</summary>
public sealed record SetAsideReason(string Code, string Zh, string En);

/// <summary>
/// Keeps a file the service will not take in (unmatched/ or refused/) with a <c>&lt;name&gt;.reason.txt</c>
/// beside it. The reason is written first and the file moved last (one rename): a crash in between
/// leaves the file in the inbox, to be handled again, never a kept file without its reason.
/// </summary>
public sealed class SetAsideFolder(DataPaths paths, CampaignClock clock, Microsoft.Extensions.Options.IOptions<StorageOptions> storage)
{
    public const string ReasonSuffix = ".reason.txt";

    /// <summary>
    /// Longest kept name in UTF-8 bytes. File systems allow 255 bytes per name; the reason file adds
    /// ".reason.txt.writing" (19) and a taken name " (999)" (6), so a kept name stays well below.
    /// </summary>
    public const int MaxNameBytes = 200;

    /// <summary>Moves the inbox file into the folder; returns where it now is.</summary>
    public async Task<string> KeepAsync(string inboxFile, string relativeName, string folder, SetAsideReason reason, CancellationToken ct)
    {
        // Two names can neutralise to the same kept name ("a:b.jpg", "a_b.jpg"): choosing a free name
        // and filling it must not interleave, or one file would end up beside the other's reason.
        await _gate.WaitAsync(ct);
        try
        {
            return await KeepOneAsync(inboxFile, relativeName, folder, reason, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private readonly SemaphoreSlim _gate = new(1, 1);

    private async Task<string> KeepOneAsync(string inboxFile, string relativeName, string folder, SetAsideReason reason, CancellationToken ct)
    {
        var target = FreeName(Path.Combine(folder, SafeRelativePath(relativeName)));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var text = new StringBuilder()
            .AppendLine($"文件 File: {Logging.LogText.Visible(relativeName)}")
            .AppendLine($"保存为 Kept as: {Path.GetRelativePath(folder, target)}")
            .AppendLine($"时间 Time: {clock.ToLocal(clock.UtcNow):yyyy-MM-dd HH:mm:ss zzz}")
            .AppendLine($"代码 Code: {reason.Code}")
            .AppendLine($"原因：{reason.Zh}")
            .AppendLine($"Reason: {reason.En}")
            .ToString();
        var reasonFile = target + ReasonSuffix;
        var temp = reasonFile + ".writing";
        try
        {
            await File.WriteAllTextAsync(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), ct);
            File.Move(temp, reasonFile, overwrite: true);
        }
        catch
        {
            // A full disk, say: no half-written reason is left behind; the file stays in the inbox.
            File.Delete(temp);
            throw;
        }
        File.Move(inboxFile, target, overwrite: false);
        // A moved file keeps the uploader's mode (often 0644): give it the data directory's, as if written here.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(target, CollectionWorker.Security.DataDirectoryPermissions.FileModeOf(storage.Value.FileMode));
        return target;
    }

    public string Unmatched => paths.Unmatched;
    public string Refused => paths.Refused;

    /// <summary>
    /// The relative name as a safe path under the folder: each segment without path tricks or
    /// characters a Windows admin could not open ("..", ":", control characters become '_').
    /// </summary>
    public static string SafeRelativePath(string relativeName)
    {
        // Only this system's separators divide the name (they come from real sub-folders); any other
        // separator inside a name, e.g. a backslash on Linux, is just a character to neutralise.
        var segments = relativeName.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries)
            .Select(SafeSegment)
            .ToArray();
        return segments.Length == 0 ? "_" : Path.Combine(segments);
    }

    /// <summary>
    /// One name made safe and visible: a foreign separator ("..\\..\\x.jpg" on Linux) divides it into
    /// parts whose "." and ".." are dropped; characters a Windows admin could not open become '_';
    /// a leading dot (a hidden file) becomes '_'; and a name too long for the file system once
    /// ".reason.txt" is added is shortened, keeping its extension and a short hash of the whole
    /// name so two long names never end up as one. The original name is written in the reason file.
    /// </summary>
    private static string SafeSegment(string segment)
    {
        var parts = segment.Split('\\').Where(p => p.Trim() is not ("" or "." or "..")).ToList();
        var joined = parts.Count == 0 ? "_" : string.Join("_", parts);
        var sb = new StringBuilder(joined.Length);
        foreach (var ch in joined)
            sb.Append(char.IsControl(ch) || ch is '/' or ':' or '*' or '?' or '"' or '<' or '>' or '|' ? '_' : ch);
        var s = sb.ToString().Trim();
        var dots = 0;
        while (dots < s.Length && s[dots] == '.') dots++;
        if (dots > 0) s = new string('_', dots) + s[dots..];
        return s.Length == 0 ? "_" : Shorten(s, segment);
    }

    private static string Shorten(string name, string original)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxNameBytes) return name;
        var ext = Path.GetExtension(name);
        if (Encoding.UTF8.GetByteCount(ext) > 16) ext = "";
        var tag = "~" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(original)))[..8];
        var budget = MaxNameBytes - Encoding.UTF8.GetByteCount(tag + ext);
        var stem = name[..^ext.Length];
        var cut = 0;
        var bytes = 0;
        while (cut < stem.Length)
        {
            var step = char.IsHighSurrogate(stem[cut]) && cut + 1 < stem.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(stem.AsSpan(cut, step));
            if (bytes + size > budget) break;
            bytes += size;
            cut += step;
        }
        return stem[..cut] + tag + ext;
    }

    /// <summary>The name, or "name (2).ext", "name (3).ext"… if a different file already has it.</summary>
    private static string FreeName(string path)
    {
        if (!File.Exists(path)) return path;
        var dir = Path.GetDirectoryName(path)!;
        var stem = Path.GetFileNameWithoutExtension(path);
        var ext = Path.GetExtension(path);
        for (var i = 2; ; i++)
        {
            var candidate = Path.Combine(dir, $"{stem} ({i}){ext}");
            if (!File.Exists(candidate)) return candidate;
        }
    }
}
