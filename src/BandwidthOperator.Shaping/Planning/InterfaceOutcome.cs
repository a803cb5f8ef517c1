using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>What the plan means for one InterfaceBandwidth: its class ID, admission and readiness.</summary>
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
    public InterfaceOutcome WithReady(ConditionOutcome ready) => this with { Ready = ready };
}
