using Microsoft.Extensions.Logging.Console;

namespace BandwidthOperator.Agent.Hosting;

/// <summary>Options of <see cref="OneLineConsoleFormatter"/>.</summary>
public sealed class OneLineFormatterOptions : ConsoleFormatterOptions
{
    public AgentLogFormat Format { get; set; } = AgentLogFormat.Text;

    /// <summary>Whether an exception's stack trace is written (the agent sets it when the log level is Debug or Trace).</summary>
    public bool StackTraces { get; set; }
}
