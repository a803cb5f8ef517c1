using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>One direction of a network as the direction stages read it: capacity, burst, and each interface's limits and held class ID.</summary>
internal sealed record DirectionSpec(Direction Direction, NetworkSettings Network)
{
    public bool IsInbound => Direction == Direction.Inbound;

    public BitRate? Capacity => IsInbound ? Network.Average : Network.OutboundAverage;

    public ByteSize? Burst => IsInbound ? Network.Burst : Network.OutboundBurst;

    /// <summary>The spec field messages name: <c>spec.inbound</c> or <c>spec.outbound</c>.</summary>
    public string Field => IsInbound ? "spec.inbound" : "spec.outbound";

    public string Word => IsInbound ? "inbound" : "outbound";

    public BandwidthLimits Limits(InterfaceSettings s) => IsInbound ? s.Inbound : s.Outbound;

    public ushort? StatusId(InterfaceSettings s) => IsInbound ? s.StatusClassId : s.StatusOutboundClassId;

    /// <summary>Whether the interface wants a class in this direction (a floor or an average).</summary>
    public bool Wants(InterfaceSettings s) => Limits(s) is { } l && (l.Floor is not null || l.Average is not null);
}
