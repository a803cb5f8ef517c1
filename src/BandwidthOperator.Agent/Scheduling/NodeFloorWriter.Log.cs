using Microsoft.Extensions.Logging;

namespace BandwidthOperator.Agent.Scheduling;

public sealed partial class NodeFloorWriter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Floor resources of Node {Node} set to [{Resources}] ({Operations} JSON patch operations)")]
        public static partial void Patched(ILogger logger, string node, string resources, int operations);
    }
}
