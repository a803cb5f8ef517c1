using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// One network's bridge, planned: its outcome, its interfaces' outcomes (<see cref="KeptEdits"/> replace the
/// refusals of invalid edits), the objects wanted on its IFBs and ports, and the observed objects that are ours.
/// </summary>
internal sealed record BridgePlan(
    BridgeOutcome Outcome,
    IReadOnlyList<InterfaceOutcome> Interfaces,
    IReadOnlyList<InterfaceOutcome> KeptEdits,
    IReadOnlyList<TcObject> Desired,
    IReadOnlyList<TcObject> Owned)
{
    /// <summary>What an appended interface is planned from (<see cref="AppendStage"/>); null when the bridge is missing.</summary>
    public BridgeContext? Context { get; init; }
}
