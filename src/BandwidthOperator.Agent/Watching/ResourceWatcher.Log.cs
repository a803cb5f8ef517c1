using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Watching;

public sealed partial class ResourceWatcher<T>
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Listed {Count} {Kind} at resourceVersion {ResourceVersion}")]
        public static partial void Listed(ILogger logger, int count, string kind, string resourceVersion);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Watch of {Kind} expired at resourceVersion {ResourceVersion}; listing again")]
        public static partial void Expired(ILogger logger, string kind, string? resourceVersion);

        [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Watch of {Kind} failed (attempt {Attempt}); next try in {Delay}")]
        public static partial void WatchFailed(ILogger logger, string kind, int attempt, TimeSpan delay, Exception? exception);
    }
}
