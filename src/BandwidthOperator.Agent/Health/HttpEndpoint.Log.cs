using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Health;

public sealed partial class HttpEndpoint
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Serving {Routes} on {Prefix}")]
        public static partial void Listening(ILogger logger, string prefix, string routes);

        [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Request on {Prefix} failed")]
        public static partial void RequestFailed(ILogger logger, string prefix, Exception exception);
    }
}
