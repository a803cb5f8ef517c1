using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>What the kernel carries in one direction's tree of a bridge: MAC → class (its filter), class → rate and ceiling.</summary>
internal sealed record DirectionClaims(
    IReadOnlyDictionary<MacAddress, ushort> ClassOfMac,
    IReadOnlyDictionary<ushort, BitRate> Rate,
    IReadOnlyDictionary<ushort, BitRate> Ceil)
{
    /// <summary>The floor the kernel applies for <paramref name="mac"/> in class <paramref name="id"/> (above the token rate), or null.</summary>
    public BitRate? AppliedFloor(MacAddress mac, ushort id) =>
        Rate.TryGetValue(id, out var applied) && applied > Trees.ShapingTree.LimitOnlyRate && ClassOfMac.GetValueOrDefault(mac) == id ? applied : null;
}
