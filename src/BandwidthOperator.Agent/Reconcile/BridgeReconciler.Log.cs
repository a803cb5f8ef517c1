using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Reconcile;

public sealed partial class BridgeReconciler
{
    private static partial class Log
    {
        // The worker's one line (AgentService, event 4) says it with the attempt and the next try; this one carries the stack trace at Debug.
        [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Reconcile of {Bridge} on {Node} failed")]
        public static partial void ReconcileFailed(ILogger logger, string node, string bridge, Exception exception);

        [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Node {Node} not found in the API; network node selectors are not evaluated")]
        public static partial void NodeNotFound(ILogger logger, string node);

        [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Class ID {ClassId} of {Interface} on {Bridge} ({Node}) written before the kernel change")]
        public static partial void ClassIdWritten(ILogger logger, string node, string bridge, string @interface, int classId);

        [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Applied {Operations} tc operations ({KernelWrites} kernel writes) for {Bridge} on {Node}; {Remaining} remaining")]
        public static partial void Applied(ILogger logger, string node, string bridge, int operations, int kernelWrites, int remaining);

        [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Status of {Interface} on {Bridge} ({Node}): Admitted {Admitted}, Ready {Ready}")]
        public static partial void InterfaceStatusWritten(ILogger logger, string node, string bridge, string @interface, string admitted, string ready);

        [LoggerMessage(EventId = 205, Level = LogLevel.Debug, Message = "{Bridge} on {Node} not converged: {Remaining} operations remain ({Error})")]
        public static partial void NotConverged(ILogger logger, string node, string bridge, int remaining, string? error);

        [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "{Network} on {Node}: {Message}")]
        public static partial void NotSchedulable(ILogger logger, string node, string network, string message);
    }
}
