using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BandwidthOperator.Agent.Hosting;

/// <summary>
/// Writes the agent's log to standard output, one line per entry in <see cref="OneLineConsoleFormatter"/>'s
/// format, synchronously. In place of Microsoft.Extensions.Logging.Console's provider, whose options
/// monitoring, configuration binding and writer thread cost the agent ≈ 2 MiB of resident memory for
/// the same lines (docs/architecture.md, "Memory"). Levels are filtered by the logger factory
/// (<c>Logging__LogLevel__*</c>), as before.
/// </summary>
[ProviderAlias("Console")]
public sealed class OneLineLoggerProvider(OneLineConsoleFormatter formatter, TextWriter output) : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentDictionary<string, Logger> _loggers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private IExternalScopeProvider? _scopes;

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new Logger(this, name));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        lock (_gate)
        {
            output.Flush();
        }
    }

    private void Write<TState>(in LogEntry<TState> entry)
    {
        using var line = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        formatter.Write(entry, _scopes, line);
        lock (_gate)
        {
            output.Write(line.ToString());
            output.Flush();
        }
    }

    private sealed class Logger(OneLineLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
            }
        }
    }
}
