using System.Globalization;
using CollectionWorker.Store;

namespace CollectionWorker.Host.Progress;

/// <summary>
/// Progress as plain lines, for stderr redirected to a file or a pipe: one when a step starts, one at least
/// <see cref="Every"/> after the last while it runs (also for a step whose size is not known), and one when it ends. Every
/// line starts with "进度 Progress:" so a script can leave them out.
/// </summary>
internal sealed class ProgressLines : IProgressView
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);
    public const string Prefix = "进度 Progress:";

    private readonly Lock _gate = new();
    private readonly TextWriter _out;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private WorkProgress? _current;
    private long _stepStarted;
    private long _lastLine;
    private bool _stepEnded = true;

    public ProgressLines(TextWriter stderr, TimeProvider time)
    {
        // The timer writes from another thread: one synchronized writer for its lines and the verb's.
        _out = TextWriter.Synchronized(stderr);
        _time = time;
        _lastLine = time.GetTimestamp();
        // Looks four times per period, so a line comes at most a quarter period late after the last one.
        _timer = time.CreateTimer(_ => Tick(), null, Every / 4, Every / 4);
    }

    public TextWriter Messages => _out;

    public void Show(WorkProgress progress)
    {
        lock (_gate)
        {
            if (_current is { } same && same.Step == progress.Step && progress.Done < same.Done)
                return; // items finished on several threads may report out of order: the count never goes back
            if (_current is not { } current || current.Step != progress.Step)
            {
                EndStep();
                _stepStarted = _time.GetTimestamp();
                _stepEnded = false;
                _current = progress;
                if (!IsComplete(progress)) Write(Line(progress, elapsed: null));
            }
            _current = progress;
            if (!_stepEnded && IsComplete(progress)) EndStep();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        lock (_gate) EndStep();
    }

    private void Tick()
    {
        lock (_gate)
            if (!_stepEnded && _current is { } current && _time.GetElapsedTime(_lastLine) >= Every)
                Write(Line(current, _time.GetElapsedTime(_stepStarted)));
    }

    /// <summary>The step's last line: its count (or "done" when it had none) and its time.</summary>
    private void EndStep()
    {
        if (_stepEnded || _current is not { } current) return;
        _stepEnded = true;
        Write(Line(current, _time.GetElapsedTime(_stepStarted), ended: true));
    }

    private void Write(string line)
    {
        _out.WriteLine(line);
        _lastLine = _time.GetTimestamp();
    }

    private static bool IsComplete(WorkProgress p) => p.Total is { } total && p.Done >= total;

    /// <summary>"进度 Progress: 写入学生 Storing students 2000/20000 (10%) 2.0 s", or "… 读取名单 Reading the roster: 完成 done 3.1 s".</summary>
    internal static string Line(WorkProgress p, TimeSpan? elapsed, bool ended = false)
    {
        var count = p.Total is { } total
            ? $" {p.Done}/{total} ({(total == 0 ? 100 : 100L * Math.Min(p.Done, total) / total)}%)"
            : ended ? ": 完成 done" : "…";
        var time = elapsed is { } e ? " " + e.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "";
        return $"{Prefix} {p.Step}{count}{time}";
    }
}
