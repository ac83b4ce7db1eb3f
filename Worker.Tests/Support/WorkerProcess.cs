using System.Collections.Concurrent;
using System.Diagnostics;

namespace CollectionWorker.Tests.Support;

/// <summary>The real worker as a child process (the built CollectionWorker.dll beside the tests), with its output captured.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private WorkerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static WorkerProcess Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return new WorkerProcess(Process.Start(info)!);
    }

    /// <summary>
    /// As <see cref="Start"/>, but under a given umask (e.g. "022", the usual login default), so a test of
    /// file modes does not depend on what the test process's umask happens to be.
    /// </summary>
    public static WorkerProcess StartWithUmask(string umask, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CollectionWorker.dll");
        var info = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", $"umask {umask} && exec dotnet \"$@\"", "sh", dll }.Concat(args)) info.ArgumentList.Add(a);
        return new WorkerProcess(Process.Start(info)!);
    }

    public int Id => _process.Id;

    /// <summary>
    /// Samples the process's peak resident memory (Linux VmHWM) until it exits; read <see cref="PeakMegabytes"/> after.
    /// The kernel keeps the peak itself, so the last sample before the exit is the process's peak.
    /// </summary>
    public void SamplePeakMemory()
    {
        _sampler = Task.Run(async () =>
        {
            while (!_process.HasExited)
            {
                try
                {
                    var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
                    if (line is not null) PeakMegabytes = Math.Max(PeakMegabytes, long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0);
                }
                catch (IOException)
                {
                    // The process has just ended.
                }
                await Task.Delay(10);
            }
        });
    }

    private Task? _sampler;

    public double PeakMegabytes { get; private set; }
    public string Output => string.Join("\n", _lines);
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited) throw new InvalidOperationException($"worker exited ({_process.ExitCode}) before printing '{text}':\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"worker did not print '{text}' within {timeout}:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM, as systemd sends on stop.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();

    /// <summary>SIGKILL: a crash, no clean-up.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
