namespace BandwidthOperator.Agent.Hosting;

/// <summary><c>--log-format</c>: one readable line per entry, or one JSON object per line for log pipelines.</summary>
public enum AgentLogFormat
{
    Text,
    Json,
}
