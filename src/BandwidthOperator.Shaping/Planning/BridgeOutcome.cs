using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>What the plan means for one network's bridge on this node (BridgeNetwork.status.nodes[me]).</summary>
public sealed record BridgeOutcome(
    string Network,
    string Bridge,
    bool Ready,
    BitRate? Capacity,
    BitRate FloorSum,
    int Interfaces,
    string LeafQdisc,
    string Message,
    IReadOnlyList<TcObject> Desired);
