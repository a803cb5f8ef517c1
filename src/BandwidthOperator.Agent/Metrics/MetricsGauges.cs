namespace BandwidthOperator.Agent.Metrics;

/// <summary>The gauges one reconcile leaves: interface classes, bridges, and the admission of every floor asked for.</summary>
public sealed record MetricsGauges(IReadOnlyList<InterfaceSample> Interfaces, IReadOnlyList<BridgeSample> Bridges, IReadOnlyList<AdmissionSample> Admissions)
{
    public void Deconstruct(out IReadOnlyList<InterfaceSample> interfaces, out IReadOnlyList<BridgeSample> bridges)
    {
        interfaces = Interfaces;
        bridges = Bridges;
    }
}
