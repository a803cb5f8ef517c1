using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>What the plan means for one network's bridge on this node (BridgeNetwork.status.nodes[me]). <see cref="Desired"/> is the inbound tree.</summary>
public sealed record BridgeOutcome(
    string Network,
    string Bridge,
    bool Ready,
    BitRate? Capacity,
    BitRate FloorSum,
    int Interfaces,
    string LeafQdisc,
    string Message,
    IReadOnlyList<TcObject> Desired)
{
    /// <summary>The capacity out of the guests (<c>spec.outbound.average</c>).</summary>
    public BitRate? OutboundCapacity { get; init; }

    public BitRate OutboundFloorSum { get; init; }

    /// <summary>The outbound tree (on the outbound IFB); <see cref="Desired"/> is the inbound one.</summary>
    public IReadOnlyList<TcObject> OutboundDesired { get; init; } = [];

    /// <summary>The bridge's ports: role, hooked, what holds a guest port that cannot be hooked.</summary>
    public IReadOnlyList<PortOutcome> Ports { get; init; } = [];

    /// <summary>Explicit port roles (<c>spec.ports</c>) that name no port of the bridge on this node, each naming the object and field.</summary>
    public IReadOnlyList<string> PortIssues { get; init; } = [];

    /// <summary>The bridge's IFB devices (inbound, outbound), whether or not a tree needs them now.</summary>
    public IReadOnlyList<string> Ifbs { get; init; } = [];
}
