using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Api.Validation;

/// <summary>
/// A validated <c>InterfaceBandwidth</c>. <see cref="Created"/> and <see cref="Order"/> decide who is older
/// in admission (creationTimestamp, then namespace/name; offline manifests have only file order).
/// <see cref="StatusClassId"/> and <see cref="StatusOutboundClassId"/> are the class IDs its status already carries, if any.
/// </summary>
public sealed record InterfaceSettings(
    ObjectRef Ref,
    string Network,
    string NodeName,
    MacAddress Mac,
    string? Device,
    BandwidthLimits Inbound,
    BandwidthLimits Outbound,
    DateTimeOffset? Created,
    int Order,
    ushort? StatusClassId,
    long Generation,
    ushort? StatusOutboundClassId = null)
{
    public BitRate? Floor => Inbound.Floor;

    public BitRate? OutboundFloor => Outbound.Floor;
}
