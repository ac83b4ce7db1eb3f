using System.Collections.Concurrent;
using System.Diagnostics;

/// <summary>One worker node: the built CollectionWorker.dll running the service (`run`) as a child process, its output kept.</summary>
sealed class Node
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private Node(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static Node Start(string dll, string config, string data)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "run", "--config", config, "--data", data }) info.ArgumentList.Add(a);
        return new Node(Process.Start(info)!);
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited) throw new InvalidOperationException($"a node exited ({_process.ExitCode}) before printing '{text}':\n{Tail()}");
            if (clock.Elapsed > timeout) throw new TimeoutException($"a node did not print '{text}' within {timeout}:\n{Tail()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Lines holding both parts, e.g. "Intake …: Recorded".</summary>
    public int Count(string first, string then) =>
        _lines.Count(l => l.IndexOf(first, StringComparison.Ordinal) is >= 0 and var at && l.IndexOf(then, at, StringComparison.Ordinal) > at);

    public string Tail() => string.Join("\n", _lines.TakeLast(30));

    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
