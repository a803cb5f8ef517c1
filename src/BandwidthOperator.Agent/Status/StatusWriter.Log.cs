using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Status;

public sealed partial class StatusWriter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Status write failed; retry {Attempt}: {Error}")]
        public static partial void Retrying(ILogger logger, int attempt, string? error);
    }
}
