using System.Text;
using Spectre.Console;

namespace CollectionWorker.Host.Progress;

/// <summary>
/// A TextWriter that hands each complete line to a Spectre console, which prints it above a running
/// progress bar instead of through it.
/// </summary>
internal sealed class ConsoleLineWriter(IAnsiConsole console) : TextWriter
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                var text = _line.ToString().TrimEnd('\r');
                _line.Clear();
                console.WriteLine(text);
            }
            else _line.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
            foreach (var ch in value ?? "") Write(ch);
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        WriteLine();
        return Task.CompletedTask;
    }

    public override void Flush()
    {
        lock (_gate)
            if (_line.Length > 0) Write('\n');
    }
}
