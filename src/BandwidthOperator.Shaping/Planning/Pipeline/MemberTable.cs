using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// The member stage's result: the valid interfaces of each planned network, oldest first; the interfaces
/// refused before any bridge is looked at (invalid, unknown or unplanned network, namespace not allowed);
/// and, per network, the invalid edits of interfaces whose last applied state may be kept.
/// </summary>
internal sealed record MemberTable(
    IReadOnlyDictionary<string, List<InterfaceSettings>> ByNetwork,
    IReadOnlyList<InterfaceOutcome> Refused,
    IReadOnlyDictionary<string, List<LastApplied>> InvalidEdits)
{
    public IReadOnlyList<InterfaceSettings> Of(string network) => ByNetwork.TryGetValue(network, out var m) ? m : [];

    public IReadOnlyList<LastApplied> EditsOf(string network) => InvalidEdits.TryGetValue(network, out var e) ? e : [];
}
