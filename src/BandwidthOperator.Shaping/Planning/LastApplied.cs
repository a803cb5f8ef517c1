using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>
/// An InterfaceBandwidth whose spec is now invalid but still names its network and MAC: what the kernel
/// carries for that MAC (its floor class, the limits on its port) is kept, not torn down, until the
/// spec is fixed or the resource deleted.
/// </summary>
internal sealed record LastApplied(ObjectRef Ref, string Network, MacAddress Mac, string? Device, string Problem, long Generation)
{
    public static LastApplied? Candidate(InterfaceBandwidth resource, ObjectRef name, string problem) =>
        resource.Spec is { Network: { Length: > 0 } network } spec
        && MacAddress.TryParse(spec.MacAddress, out var mac, out _) && !mac.IsMulticast && !mac.IsZero
            ? new LastApplied(name, network, mac, spec.Device is { } d && ResourceValidator.DeviceNameProblem(d) is null ? d : null, problem, resource.Metadata?.Generation ?? 0)
            : null;
}
