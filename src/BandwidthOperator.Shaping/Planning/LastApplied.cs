using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Allocation;
using BandwidthOperator.Shaping.Trees;

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

    /// <summary>
    /// The floor class the kernel carries for <see cref="Mac"/> (its filter's class, at the kernel's rate and
    /// ceiling), its ID claimed in <paramref name="allocator"/>; null when there is none to keep.
    /// </summary>
    public FloorClass? KeepClass(
        IReadOnlyDictionary<MacAddress, ushort> kernelClassOfMac,
        IReadOnlyDictionary<ushort, BitRate> kernelRate,
        IReadOnlyDictionary<ushort, BitRate> kernelCeil,
        ClassIdAllocator allocator)
    {
        ArgumentNullException.ThrowIfNull(kernelClassOfMac);
        ArgumentNullException.ThrowIfNull(kernelRate);
        ArgumentNullException.ThrowIfNull(kernelCeil);
        ArgumentNullException.ThrowIfNull(allocator);
        return kernelClassOfMac.TryGetValue(Mac, out var id) && kernelRate.TryGetValue(id, out var rate) && kernelCeil.TryGetValue(id, out var ceil) && allocator.TryClaim(id)
            ? new FloorClass(id, Mac, rate, ceil)
            : null;
    }

    /// <summary>Admitted=False (InvalidSpec) and Ready=True (LastAppliedKept), the message saying what stays.</summary>
    public InterfaceOutcome Outcome(string bridge, FloorClass? keptClass, string? keptLimitsOn)
    {
        var what = keptClass is { } k
            ? $"the floor {k.Floor} (class 1:{k.ClassId:x}){(keptLimitsOn is null ? string.Empty : $" and the limits on {keptLimitsOn}")}"
            : $"the limits on {keptLimitsOn}";
        var message = $"{Problem}; {what} applied before stay until the spec is fixed";
        return new InterfaceOutcome(
            Ref,
            Network,
            bridge,
            keptClass?.ClassId,
            keptClass?.Floor,
            keptLimitsOn,
            new ConditionOutcome(false, ConditionReasons.InvalidSpec, message),
            new ConditionOutcome(true, ConditionReasons.LastAppliedKept, message),
            Generation);
    }
}
