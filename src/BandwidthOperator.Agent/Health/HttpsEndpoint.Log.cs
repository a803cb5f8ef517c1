using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Health;

public sealed partial class HttpsEndpoint
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 510, Level = LogLevel.Information, Message = "Serving {Routes} over HTTPS on port {Port} of every address, bearer token checked with TokenReview and SubjectAccessReview (certificate SHA-256 {Thumbprint})")]
        public static partial void Listening(ILogger logger, int port, string routes, string thumbprint);

        [LoggerMessage(EventId = 511, Level = LogLevel.Debug, Message = "HTTPS request on port {Port} refused: {Path} {Status} ({Reason})")]
        public static partial void Refused(ILogger logger, int port, string path, int status, string reason);

        [LoggerMessage(EventId = 512, Level = LogLevel.Warning, Message = "HTTPS request on port {Port} failed: {Error}: {Message}")]
        public static partial void RequestFailed(ILogger logger, int port, string error, string message);
    }
}
