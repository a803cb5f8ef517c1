using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Hosting;

public sealed partial class AgentService
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Agent for {Node} starting (network namespace {Netns}, resync every {ResyncPeriod})")]
        public static partial void Starting(ILogger logger, string node, string netns, TimeSpan resyncPeriod);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Agent for {Node} ready: {Networks} BridgeNetworks, {Interfaces} InterfaceBandwidths")]
        public static partial void Ready(ILogger logger, string node, int networks, int interfaces);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Agent for {Node} stopped; the kernel is left as it is")]
        public static partial void Stopped(ILogger logger, string node);

        [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Reconcile of {Bridge} on {Node} failed (attempt {Attempt}): {Error}; next try in {Delay}")]
        public static partial void ReconcileFailed(ILogger logger, string node, string bridge, int attempt, string error, TimeSpan delay);

        [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "tc monitor on {Node} failed; drift is repaired at resync only")]
        public static partial void MonitorFailed(ILogger logger, string node, Exception exception);

        [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "KubeVirt on {Node}: {State}")]
        public static partial void KubeVirt(ILogger logger, string node, string state);

        [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Reading the class counters for /metrics on {Node} failed; serving those of the last kernel read")]
        public static partial void CountersReadFailed(ILogger logger, string node, Exception exception);

        [LoggerMessage(EventId = 6, Level = LogLevel.Critical, Message = "Agent loop {Loop} on {Node} ended")]
        public static partial void LoopFailed(ILogger logger, string node, string loop, Exception exception);
    }
}
