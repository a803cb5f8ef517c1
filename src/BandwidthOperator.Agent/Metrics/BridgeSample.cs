namespace BandwidthOperator.Agent.Metrics;

/// <summary>One network's bridge on this node: admitted floors and capacity (bits/s), readiness.</summary>
public sealed record BridgeSample(string Network, string Bridge, ulong FloorSumBitsPerSecond, ulong? CapacityBitsPerSecond, int Interfaces, bool Ready);
