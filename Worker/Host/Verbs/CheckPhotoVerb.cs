using System.Text.Encodings.Web;
using System.Text.Json;
using CollectionWorker.Host.Progress;
using CollectionWorker.Inspection;
using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CollectionWorker.Host.Verbs;

/// <summary>
/// check-photo FILE... [--json] [--annotate OUT]: the intake's inspection on any file, recording
/// nothing. Exit 0 when every file was inspected, whatever the verdicts; 1 when a file could not
/// be read at all (missing, unreadable). With --annotate, one file writes OUT itself unless OUT is
/// a folder; several files always treat OUT as a folder and write &lt;name&gt;.annotated.png there.
/// </summary>
public sealed class CheckPhotoVerb : IVerb
{
    public const string Step = "检查照片 Checking photos";

    public async Task<int> RunAsync(IHost host, CommandLine commandLine, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var inspector = host.Services.GetRequiredService<PhotoInspector>();
        var annotate = commandLine.Get("--annotate");
        var files = commandLine.Arguments;
        var outFolder = annotate is not null && (files.Count > 1 || Directory.Exists(annotate)
            || annotate.EndsWith(Path.DirectorySeparatorChar) || annotate.EndsWith(Path.AltDirectorySeparatorChar));
        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        var results = new List<InspectionResult>();
        var unreadable = 0;
        // Progress for several files only (on stderr: --json on stdout stays as it is).
        await using var progress = await CommandProgress.StartAsync(host, stderr, show: files.Count > 1);
        stderr = progress.Messages;
        // One photo per core (Inspection:Parallelism), handed back in the order of the files.
        var parallelism = host.Services.GetRequiredService<IOptions<InspectionOptions>>().Value.PhotosAtOnce;
        await foreach (var (file, inspected, error) in inspector.InspectFilesAsync(files, annotate is not null, parallelism, ct))
        {
            progress.Report(new WorkProgress(Step, results.Count + unreadable + 1, files.Count));
            if (inspected is not { } result)
            {
                await stderr.WriteLineAsync($"error: {file}: cannot be read ({error?.Message}).");
                unreadable++;
                continue;
            }
            results.Add(result);
            if (annotate is not null && result.AnnotatedPng is { } png)
            {
                var target = outFolder ? UniqueTarget(annotate, file, written) : annotate;
                var folder = Path.GetDirectoryName(Path.GetFullPath(target));
                if (folder is not null) Directory.CreateDirectory(folder);
                await File.WriteAllBytesAsync(target, png, ct);
                await stderr.WriteLineAsync($"{file}: evidence written to {target}");
            }
            else if (annotate is not null)
                await stderr.WriteLineAsync($"{file}: not decodable, so no evidence image.");
        }

        progress.Report(new WorkProgress(Step, files.Count, files.Count));
        await progress.DisposeAsync();

        if (commandLine.Json)
        {
            var objects = results.Select(r => new
            {
                file = r.FileName,
                verdict = r.Verdict.ToWire(),
                findings = r.Findings.Select(f => new
                {
                    code = f.Code, severity = f.Severity.ToWire(), value = f.Value, limit = f.Limit,
                    message_zh = f.MessageZh, message_en = f.MessageEn,
                }),
            }).ToList();
            var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            await stdout.WriteLineAsync(files.Count == 1 && objects.Count == 1
                ? JsonSerializer.Serialize(objects[0], options)
                : JsonSerializer.Serialize(objects, options));
        }
        else
        {
            foreach (var r in results)
            {
                await stdout.WriteLineAsync($"{r.FileName}: {r.Verdict.ToWire()}");
                if (r.Findings.Count == 0)
                {
                    await stdout.WriteLineAsync("  no findings");
                    continue;
                }
                var table = new TextTable("代码 Code", "结论 Severity", "测量 Value", "限值 Limit", "说明 Message");
                foreach (var f in r.Findings) table.Add(f.Code, f.Severity.ToWire(), f.Value, f.Limit, $"{f.MessageZh} {f.MessageEn}");
                await table.WriteAsync(stdout);
            }
        }
        return unreadable > 0 ? Cli.Rejected : Cli.Ok;
    }

    private static string UniqueTarget(string folder, string file, HashSet<string> written)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        var target = Path.Combine(folder, $"{stem}.annotated.png");
        for (var i = 2; !written.Add(target); i++) target = Path.Combine(folder, $"{stem}-{i}.annotated.png");
        return target;
    }
}
