using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Reconcile;

public sealed partial class KubeEventRecorder
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Could not record Event {Reason} for {Kind} {Name}")]
        public static partial void EventFailed(ILogger logger, string reason, string kind, string name, Exception exception);
    }
}
