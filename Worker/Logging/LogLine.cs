using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Logging;

/// <summary>
/// One log line as the console and the log file show it: campaign time with its offset, level,
/// category and event id, message. <c>2026-05-05 09:30:15.123 +08:00 info  Intake[3001] …</c>
/// </summary>
public static class LogLine
{
    public static string Format(DateTimeOffset localTime, LogLevel level, string category, EventId eventId, string message)
    {
        var sb = new StringBuilder(message.Length + 80);
        sb.Append(localTime.ToString("yyyy-MM-dd HH:mm:ss.fff zzz", CultureInfo.InvariantCulture)).Append(' ')
            .Append(Level(level)).Append(' ')
            .Append(ShortCategory(category));
        if (eventId.Id != 0) sb.Append('[').Append(eventId.Id.ToString(CultureInfo.InvariantCulture)).Append(']');
        return sb.Append(": ").Append(message).ToString();
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "FAIL",
        LogLevel.Critical => "CRIT",
        _ => "    ",
    };

    /// <summary>The class name without the project's namespace: <c>CollectionWorker.Intake.IntakeProcessor</c> → <c>Intake.IntakeProcessor</c>.</summary>
    private static string ShortCategory(string category) =>
        category.StartsWith("CollectionWorker.", StringComparison.Ordinal) ? category["CollectionWorker.".Length..] : category;
}
