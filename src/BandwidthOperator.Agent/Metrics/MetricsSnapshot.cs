namespace BandwidthOperator.Agent.Metrics;

/// <summary>The metrics at one moment.</summary>
public sealed record MetricsSnapshot(
    long Reconciles,
    long ReconcileErrors,
    double ReconcileSeconds,
    long KernelOperations,
    long KernelWrites,
    long StatusWrites,
    IReadOnlyList<InterfaceSample> Interfaces,
    IReadOnlyList<BridgeSample> Bridges,
    IReadOnlyList<AdmissionSample>? Admissions = null);
