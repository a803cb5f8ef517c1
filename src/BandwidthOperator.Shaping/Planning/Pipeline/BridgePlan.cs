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
    IReadOnlyList<TcObject> Owned);
