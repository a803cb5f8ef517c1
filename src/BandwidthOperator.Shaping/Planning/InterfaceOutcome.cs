using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>What the plan means for one InterfaceBandwidth: its class IDs (inbound <see cref="ClassId"/>, outbound <see cref="OutboundClassId"/>), admission and readiness.</summary>
public sealed record InterfaceOutcome(
    ObjectRef Ref,
    string? Network,
    string? Bridge,
    ushort? ClassId,
    BitRate? AppliedFloor,
    string? Device,
    ConditionOutcome Admitted,
    ConditionOutcome Ready,
    long Generation)
{
    public ushort? OutboundClassId { get; init; }

    public BitRate? AppliedOutboundFloor { get; init; }

    public InterfaceOutcome WithReady(ConditionOutcome ready) => this with { Ready = ready };
}
