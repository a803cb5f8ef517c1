using System.Collections.Immutable;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// What one bridge's plan was made of, kept with the plan so that an interface appended to it can be planned
/// alone (<see cref="AppendStage"/>): the network, how many members were accepted and the youngest of them, who
/// claims each MAC and how many claims were refused, the invalid edits kept, the ports and hooks, what the kernel
/// carried, the leaf, and each direction's plan. What appends add is kept beside what the whole pipeline made
/// (<see cref="AppendedMacs"/>, <see cref="AppendedInbound"/>, <see cref="AppendedOutbound"/>), so an append
/// copies nothing that grows with the bridge but the desired trees.
/// </summary>
internal sealed record BridgeContext(
    NetworkSettings Network,
    int Accepted,
    InterfaceSettings? Youngest,
    IReadOnlyDictionary<MacAddress, InterfaceSettings> MacOwners,
    int RefusedMacs,
    int KeptEdits,
    PortTable Ports,
    Hooks Hooks,
    KernelClaims Claims,
    string LeafKind,
    QdiscOptions Leaf,
    DirectionPlan Inbound,
    DirectionPlan Outbound)
{
    public ImmutableHashSet<MacAddress> AppendedMacs { get; init; } = [];

    /// <summary>Class IDs appended interfaces took inbound (beside <see cref="DirectionPlan.Taken"/>).</summary>
    public ImmutableHashSet<ushort> AppendedInbound { get; init; } = [];

    public ImmutableHashSet<ushort> AppendedOutbound { get; init; } = [];

    public bool IsClaimed(MacAddress mac) => MacOwners.ContainsKey(mac) || AppendedMacs.Contains(mac);
}
