using System.Data;
using System.Globalization;
using Dapper;

namespace CollectionWorker.Store;

/// <summary>
/// The store's one representation of an instant: UTC text "yyyy-MM-ddTHH:mm:ss.fffZ", which sorts
/// as it reads. Write instants with <see cref="ToText"/> (Dapper bypasses type handlers for
/// DateTimeOffset parameters); read them back as DateTimeOffset through the handler below.
/// </summary>
public static class UtcTimestamp
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// Dapper keeps type handlers in a process-wide table (its design, not ours); registering the
    /// same handler again is harmless, so every <see cref="Database"/> does it.
    /// </summary>
    internal static void RegisterDapperHandlers()
    {
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        // Only reached if a caller passes a DateTimeOffset where Dapper does consult handlers; same text either way.
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = ToText(value);
        }

        public override DateTimeOffset Parse(object value) => UtcTimestamp.Parse((string)value);
    }
}
