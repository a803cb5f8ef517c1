namespace BandwidthOperator.Agent.Hosting;

/// <summary>Section <c>Agent:Metrics</c>: the Prometheus endpoint (/metrics).</summary>
public sealed class MetricsOptions
{
    public bool Enabled { get; set; } = true;

    public int Port { get; set; } = 9090;
}
