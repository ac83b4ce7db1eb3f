using System.Text;
using CollectionWorker.Store;

namespace CollectionWorker.Intake;

/// <summary>Why a file was kept aside: a stable code and the reason in Chinese and English.</summary>
public sealed record SetAsideReason(string Code, string Zh, string En);

/// <summary>
/// Keeps a file the service will not take in (unmatched/ or refused/) with a <c>&lt;name&gt;.reason.txt</c>
/// beside it. The reason is written first and the file moved last (one rename): a crash in between
/// leaves the file in the inbox, to be handled again, never a kept file without its reason.
/// </summary>
public sealed class SetAsideFolder(DataPaths paths, TimeProvider time)
{
    public const string ReasonSuffix = ".reason.txt";

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
            .AppendLine($"文件 File: {relativeName}")
            .AppendLine($"时间 Time (UTC): {UtcTimestamp.ToText(time.GetUtcNow())}")
            .AppendLine($"代码 Code: {reason.Code}")
            .AppendLine($"原因：{reason.Zh}")
            .AppendLine($"Reason: {reason.En}")
            .ToString();
        var reasonFile = target + ReasonSuffix;
        var temp = reasonFile + ".writing";
        await File.WriteAllTextAsync(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), ct);
        File.Move(temp, reasonFile, overwrite: true);
        File.Move(inboxFile, target, overwrite: false);
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

    private static string SafeSegment(string segment)
    {
        var sb = new StringBuilder(segment.Length);
        foreach (var ch in segment)
            sb.Append(char.IsControl(ch) || ch is '\\' or '/' or ':' or '*' or '?' or '"' or '<' or '>' or '|' ? '_' : ch);
        var s = sb.ToString().Trim();
        return s is "" or "." or ".." ? "_" : s;
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
