using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>A target-bound InterfaceBandwidth placed on this node: the resource as stored, this node's role, and what was resolved.</summary>
public sealed record TargetPlacement(InterfaceBandwidth Original, WorkloadRole Role, MacAddress Mac)
{
    /// <summary>Whether this node writes the resource's top-level status (the workload runs here, also while leaving).</summary>
    public bool ReportsStatus => Role is WorkloadRole.Running or WorkloadRole.MigrationSource;
}
