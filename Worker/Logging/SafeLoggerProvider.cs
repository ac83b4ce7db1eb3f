using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CollectionWorker.Logging;

/// <summary>
/// Wraps a logging provider (console, systemd journal, Windows Event Log, the log file) so that what
/// it writes has passed <see cref="LogText.Clean"/>: no full ID number and no raw control character
/// reaches any log, whichever stage wrote the line. An exception is written as its masked text after
/// the message (the provider gets no exception object, so nothing bypasses the mask).
/// </summary>
public sealed class SafeLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new SafeLogger(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope s) s.SetScopeProvider(scopeProvider);
    }

    public void Dispose() => inner.Dispose();

    /// <summary>Replaces every registered provider by its wrapped self; call after the last provider is added.</summary>
    public static void WrapAll(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var d = services[i];
            if (d.ServiceType != typeof(ILoggerProvider) || d.IsKeyedService) continue;
            services[i] = ServiceDescriptor.Describe(typeof(ILoggerProvider), sp => new SafeLoggerProvider(Create(sp, d)), d.Lifetime);
        }
    }

    private static ILoggerProvider Create(IServiceProvider sp, ServiceDescriptor d) =>
        (ILoggerProvider)(d.ImplementationInstance
                          ?? d.ImplementationFactory?.Invoke(sp)
                          ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!));

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
