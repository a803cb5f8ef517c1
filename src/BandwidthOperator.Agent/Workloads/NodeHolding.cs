namespace BandwidthOperator.Agent.Workloads;

/// <summary>A node that should hold a workload's floor, and why.</summary>
public sealed record NodeHolding(string Node, WorkloadRole Role);
