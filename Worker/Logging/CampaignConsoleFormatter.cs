using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace CollectionWorker.Logging;

/// <summary>
/// Console lines in campaign time with the offset (<see cref="LogLine"/>), whatever zone the server
/// is in. Under systemd the journal's own formatter is used instead (it stamps lines itself).
/// </summary>
public sealed class CampaignConsoleFormatter(CampaignTime time) : ConsoleFormatter(Name)
{
    public new const string Name = "campaign";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is not null) message = $"{message}{Environment.NewLine}{logEntry.Exception}";
        textWriter.WriteLine(LogLine.Format(time.Now, logEntry.LogLevel, logEntry.Category, logEntry.EventId, message));
    }
}
