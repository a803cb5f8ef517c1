using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// What one bridge's plan was made of, kept with the plan so that an interface appended to it can be planned
/// alone (<see cref="AppendStage"/>): the network, the accepted members (oldest first), the MAC claims, the
/// invalid edits kept, the ports and hooks, what the kernel carried, the leaf, and each direction's plan.
/// </summary>
internal sealed record BridgeContext(
    NetworkSettings Network,
    IReadOnlyList<InterfaceSettings> Accepted,
    MacClaims Macs,
    int KeptEdits,
    PortTable Ports,
    Hooks Hooks,
    KernelClaims Claims,
    string LeafKind,
    QdiscOptions Leaf,
    DirectionPlan Inbound,
    DirectionPlan Outbound);
