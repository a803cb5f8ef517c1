using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>
/// What the gate lets through to the planner (<see cref="ToPlan"/>: raw claims that may stand and the
/// placed copies of target-bound resources), what it refused or could not resolve (<see cref="Refused"/>,
/// outcomes written like the planner's), the placements by <c>namespace/name</c>, and the target-bound
/// resources this node must let go of (it held or reported them; the workload is no longer here).
/// </summary>
public sealed record TargetGateResult(
    IReadOnlyList<InterfaceBandwidth> ToPlan,
    IReadOnlyList<InterfaceOutcome> Refused,
    IReadOnlyDictionary<string, TargetPlacement> Placements,
    IReadOnlyList<InterfaceBandwidth> Released);
