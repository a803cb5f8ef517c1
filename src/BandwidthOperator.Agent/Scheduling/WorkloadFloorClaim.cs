using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Agent.Scheduling;

/// <summary>A target-bound InterfaceBandwidth placed on this node, its workload, and what that workload requests of our resources.</summary>
public sealed record WorkloadFloorClaim(
    InterfaceBandwidth Item,
    string WorkloadKind,
    string WorkloadName,
    IReadOnlyDictionary<string, BitRate> Requested);
