using CollectionWorker.Store;
using Spectre.Console;

namespace CollectionWorker.Host.Progress;

/// <summary>
/// Progress as a live bar on the terminal (Spectre.Console): one line per step with its bar, percentage,
/// count and time; a step whose size is not known shows a moving bar. The lines stay on the screen when the
/// command ends, so the user sees what took how long.
/// </summary>
internal sealed class TerminalProgressBar : IProgressView
{
    private readonly Lock _gate = new();
    private readonly IAnsiConsole _console;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConsoleCancelEventHandler _showCursorOnCtrlC;
    private Task _display = Task.CompletedTask;
    private ProgressContext? _context;
    private ProgressTask? _task;
    private string? _step;
    private readonly TimeProvider _time;

    private TerminalProgressBar(IAnsiConsole console, TimeProvider time)
    {
        _console = console;
        _time = time;
        Messages = new ConsoleLineWriter(console);
        // The live display hides the cursor; Ctrl+C ends the process before Spectre could show it again.
        _showCursorOnCtrlC = (_, _) => _console.Cursor.Show();
    }

    public TextWriter Messages { get; }

    public static TerminalProgressBar Create(IAnsiConsoleOutput output, TimeProvider time) =>
        new(AnsiConsole.Create(new AnsiConsoleSettings { Out = output, Interactive = InteractionSupport.Yes }), time);

    /// <summary>The live display starts with the first step, so a command that ends up with nothing to do draws nothing.</summary>
    private ProgressContext Context()
    {
        if (_context is not null) return _context;
        var ready = new TaskCompletionSource<ProgressContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new Spectre.Console.Progress(_console, _time) { AutoClear = false, HideCompleted = false }
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new CountColumn(), new ElapsedTimeColumn(), new SpinnerColumn());
        _display = Task.Run(() => progress.StartAsync(async context =>
        {
            ready.SetResult(context);
            await _finished.Task;
        }));
        Task.WhenAny(ready.Task, _display).GetAwaiter().GetResult();
        if (!ready.Task.IsCompleted) _display.GetAwaiter().GetResult(); // the display failed to start: its exception
        Console.CancelKeyPress += _showCursorOnCtrlC;
        return _context = ready.Task.Result;
    }

    public void Show(WorkProgress progress)
    {
        lock (_gate)
        {
            if (_task is null || _step != progress.Step)
            {
                FinishStep();
                _step = progress.Step;
                _task = Context().AddTask(Markup.Escape(progress.Step), new ProgressTaskSettings { AutoStart = true, MaxValue = 1 });
            }
            if (progress.Total is { } total)
            {
                _task.IsIndeterminate = false;
                // An empty step (nothing to do) is shown full rather than as 0 of 0.
                _task.MaxValue = Math.Max(total, 1);
                // Items finished on several threads may report out of order: the count never goes back.
                _task.Value = total == 0 ? 1 : Math.Max(_task.Value, Math.Min(progress.Done, total));
            }
            else _task.IsIndeterminate = true;
        }
    }

    /// <summary>A step whose size was not known is done when the next begins (or the command ends); a counted one shows where it stopped.</summary>
    private void FinishStep()
    {
        if (_task is null) return;
        if (_task.IsIndeterminate)
        {
            _task.IsIndeterminate = false;
            _task.Value = _task.MaxValue;
        }
        _task.StopTask();
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_context is null) return;
            FinishStep();
        }
        _finished.TrySetResult();
        try
        {
            await _display;
        }
        finally
        {
            Console.CancelKeyPress -= _showCursorOnCtrlC;
        }
    }
}
