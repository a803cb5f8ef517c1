using System.Collections.Concurrent;
using BandwidthOperator.Agent.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BandwidthOperator.Agent.Tests.Hosting;

/// <summary>Keeps every log entry and renders them with the agent's <see cref="OneLineConsoleFormatter"/>, as the console would.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<Func<OneLineConsoleFormatter, string>> _entries = new();

    public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, _entries);

    public string Render(OneLineFormatterOptions options)
    {
        var formatter = new OneLineConsoleFormatter(options, TimeProvider.System);
        return string.Concat(_entries.Select(e => e(formatter)));
    }

    public void Dispose()
    {
    }

    private sealed class Capturing(string category, ConcurrentQueue<Func<OneLineConsoleFormatter, string>> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(f =>
            {
                using var writer = new StringWriter();
                f.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), null, writer);
                return writer.ToString();
            });
    }
}
