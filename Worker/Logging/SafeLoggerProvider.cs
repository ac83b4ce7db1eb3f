using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Logging;

/// <summary>
/// Wraps a logging provider (console, systemd journal, Windows Event Log, the log file) so that what
/// it writes has passed <see cref="LogText.Clean"/>: no full ID number and no raw control character
/// reaches any log, whichever stage wrote the line. An exception is written as its masked text after
/// the message (the provider gets no exception object, so nothing bypasses the mask).
/// </summary>
/// <param name="ownsInner">false when the container made <paramref name="inner"/> and disposes it itself</param>
public sealed class SafeLoggerProvider(ILoggerProvider inner, bool ownsInner = true) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new SafeLogger(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope s) s.SetScopeProvider(scopeProvider);
    }

    public void Dispose()
    {
        if (ownsInner) inner.Dispose();
    }

    /// <summary>Replaces every registered provider by its wrapped self; call after the last provider is added.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        var count = services.Count;
        for (var i = 0; i < count; i++)
        {
            var d = services[i];
            if (d.ServiceType != typeof(ILoggerProvider) || d.IsKeyedService) continue;
            if (d.ImplementationType is { } type)
            {
                // The provider's own type is registered so the container builds it exactly as before
                // (same constructor choice, e.g. the console provider with its formatters).
                services.Add(ServiceDescriptor.Describe(type, type, d.Lifetime));
                services[i] = ServiceDescriptor.Describe(typeof(ILoggerProvider),
                    sp => new SafeLoggerProvider((ILoggerProvider)sp.GetRequiredService(type), ownsInner: false), d.Lifetime);
            }
            else
            {
                services[i] = ServiceDescriptor.Describe(typeof(ILoggerProvider),
                    sp => new SafeLoggerProvider((ILoggerProvider)(d.ImplementationInstance ?? d.ImplementationFactory!(sp))), d.Lifetime);
            }
        }
    }

    private sealed class SafeLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = formatter(state, exception);
            if (exception is not null) message = $"{message}{Environment.NewLine}{exception}";
            inner.Log(logLevel, eventId, LogText.Clean(message), null, static (m, _) => m);
        }
    }
}
