using System.Globalization;
using System.Text;
using System.Threading.Channels;
using CollectionWorker.Store;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Logging;

/// <summary>
/// The service's log as files in <c>data/logs/</c>, for a service started by hand (under systemd the
/// journal keeps the log, as a Windows service the Event Log): one file per campaign-local day
/// (<c>collection-worker-2026-05-05.log</c>), a new part (<c>…-05.2.log</c>) when one reaches
/// <see cref="MaxFileBytes"/>, and only the newest <see cref="KeepFiles"/> files kept. Lines are
/// written by one background writer, so logging never waits for the disk.
/// </summary>
[ProviderAlias("File")]
public sealed class LogFileProvider : ILoggerProvider
{
    public const long MaxFileBytes = 10 * 1024 * 1024;
    public const int KeepFiles = 30;
    private const string Prefix = "collection-worker-";

    private readonly CampaignTime _time;
    private readonly Channel<(DateOnly Day, string Line)> _lines = Channel.CreateUnbounded<(DateOnly, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public LogFileProvider(DataPaths paths, CampaignTime time)
    {
        _time = time;
        Folder = Path.Combine(paths.Root, "logs");
        _writer = Task.Run(WriteAsync);
    }

    /// <summary><c>data/logs/</c>.</summary>
    public string Folder { get; }

    /// <summary>True when the service was started by systemd or as a Windows service, whose own logs are used instead.</summary>
    public static bool ManagedElsewhere() =>
        Environment.GetEnvironmentVariable("INVOCATION_ID") is { Length: > 0 }
        || Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 }
        || Microsoft.Extensions.Hosting.WindowsServices.WindowsServiceHelpers.IsWindowsService();

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    private void Enqueue(LogLevel level, string category, EventId eventId, string message)
    {
        var now = _time.Now;
        _lines.Writer.TryWrite((DateOnly.FromDateTime(now.DateTime), LogLine.Format(now, level, category, eventId, message)));
    }

    private async Task WriteAsync()
    {
        var reader = _lines.Reader;
        FileStream? stream = null;
        var day = DateOnly.MinValue;
        var part = 1;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var item))
                {
                    try
                    {
                        if (stream is null || item.Day != day || stream.Length >= MaxFileBytes)
                        {
                            Discard(stream);
                            part = item.Day == day ? part + 1 : 1;
                            day = item.Day;
                            stream = Open(day, ref part);
                        }
                        var bytes = Encoding.UTF8.GetBytes(item.Line + Environment.NewLine);
                        await stream.WriteAsync(bytes);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // A full disk or a removed folder must not stop the service; the console still has the line.
                        Discard(stream);
                        stream = null;
                    }
                }
                try
                {
                    if (stream is not null) await stream.FlushAsync();
                }
                catch (IOException)
                {
                    // As above: the lines are dropped and the next line opens the file again.
                    Discard(stream);
                    stream = null;
                }
            }
        }
        finally
        {
            Discard(stream);
        }
    }

    /// <summary>Closes a stream whose buffered lines may no longer fit on the disk, without throwing.</summary>
    private static void Discard(FileStream? stream)
    {
        try
        {
            stream?.Dispose();
        }
        catch (IOException)
        {
            // The buffered lines are lost; the service goes on.
        }
    }

    /// <summary>Opens the day's file for appending, moving on to the next part while the current one is full.</summary>
    private FileStream Open(DateOnly day, ref int part)
    {
        Directory.CreateDirectory(Folder);
        while (true)
        {
            var path = Path.Combine(Folder, FileName(day, part));
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 14);
            if (stream.Length < MaxFileBytes)
            {
                if (stream.Length == 0) RemoveOld();
                return stream;
            }
            stream.Dispose();
            part++;
        }
    }

    private static string FileName(DateOnly day, int part) =>
        Prefix + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (part == 1 ? "" : "." + part.ToString(CultureInfo.InvariantCulture)) + ".log";

    private void RemoveOld()
    {
        var files = new DirectoryInfo(Folder).GetFiles(Prefix + "*.log").OrderByDescending(f => f.LastWriteTimeUtc).Skip(KeepFiles);
        foreach (var f in files)
        {
            try
            {
                f.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the next day's clean-up.
            }
        }
    }

    public void Dispose()
    {
        _lines.Writer.TryComplete();
        _writer.Wait(TimeSpan.FromSeconds(5));
    }

    private sealed class FileLogger(LogFileProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            if (exception is not null) message = $"{message}{Environment.NewLine}{exception}";
            provider.Enqueue(logLevel, category, eventId, message);
        }
    }
}
