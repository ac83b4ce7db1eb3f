using CollectionWorker.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace CollectionWorker.Host.Progress;

/// <summary>
/// The progress of one long command, on stderr: a bar when stderr is a terminal, plain lines (at each step's start
/// and end, and every 2 s between) when it is redirected. Results stay on stdout, so --json and scripts reading
/// stdout see none of it. Verbs print their results after <see cref="DisposeAsync"/> (the bar owns the terminal's
/// last lines until then), and write their messages meanwhile through <see cref="Messages"/>, which keeps them
/// clear of the bar.
/// </summary>
public sealed class CommandProgress : IProgress<WorkProgress>, IAsyncDisposable
{
    private readonly IProgressView _view;
    private int _disposed;

    private CommandProgress(IProgressView view) => _view = view;

    /// <summary>Starts the display on the verb's stderr, timed by the host's clock.</summary>
    /// <param name="show">false: nothing is shown (a command with little to do), and <see cref="Messages"/> is stderr itself.</param>
    public static Task<CommandProgress> StartAsync(IHost host, TextWriter stderr, bool show = true) =>
        StartAsync(stderr, host.Services.GetRequiredService<TimeProvider>(), show);

    public static Task<CommandProgress> StartAsync(TextWriter stderr, TimeProvider time, bool show = true)
    {
        var output = new AnsiConsoleOutput(stderr);
        IProgressView view = !show ? new NoProgress(stderr)
            : output.IsTerminal ? TerminalProgressBar.Create(output, time)
            : new ProgressLines(stderr, time);
        return Task.FromResult(new CommandProgress(view));
    }

    /// <summary>Where the verb's own stderr lines go while the progress is shown.</summary>
    public TextWriter Messages => _view.Messages;

    public void Report(WorkProgress value) => _view.Show(value);

    /// <summary>Ends the display: the bar stays on the screen as it last was; the plain lines close the last step.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) await _view.DisposeAsync();
    }
}

/// <summary>One way of showing progress: a terminal bar, plain lines, or nothing.</summary>
internal interface IProgressView : IAsyncDisposable
{
    TextWriter Messages { get; }
    void Show(WorkProgress progress);
}

internal sealed class NoProgress(TextWriter stderr) : IProgressView
{
    public TextWriter Messages => stderr;
    public void Show(WorkProgress progress) { }
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
