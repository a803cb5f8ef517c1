using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>
/// Where a target's workload is and which MAC its interface has, as its own object says (nothing is
/// guessed). <see cref="Holdings"/> is empty when the workload runs nowhere; <see cref="Mac"/> is null
/// with <see cref="Problem"/> (reason and message) when the interface cannot be resolved.
/// </summary>
public sealed record WorkloadPlacement(IReadOnlyList<NodeHolding> Holdings, MacAddress? Mac, string? Reason, string? Problem)
{
    public static WorkloadPlacement Unresolved(string reason, string problem, IReadOnlyList<NodeHolding>? holdings = null) =>
        new(holdings ?? [], null, reason, problem);

    /// <summary>This node's role, or null when it should hold nothing.</summary>
    public WorkloadRole? RoleOf(string node) => Holdings.FirstOrDefault(h => h.Node == node)?.Role;

    /// <summary>The node the workload runs on now (the source while a migration is under way).</summary>
    public string? RunningNode => Holdings.FirstOrDefault(h => h.Role is WorkloadRole.Running or WorkloadRole.MigrationSource)?.Node;
}
