using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>The result of planning one node: per network and per interface outcomes, and the ordered kernel operations.</summary>
public sealed record NodePlan(
    IReadOnlyList<BridgeOutcome> Bridges,
    IReadOnlyList<InterfaceOutcome> Interfaces,
    IReadOnlyList<TcOperation> Operations,
    IReadOnlyList<string> NetworkIssues)
{
    public bool IsEmpty => Operations.Count == 0;
}
