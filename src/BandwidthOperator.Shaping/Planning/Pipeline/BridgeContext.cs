using System.Collections.Immutable;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// What one bridge's plan was made of, kept with the plan (as long as the plan lives) so that an interface appended
/// to it can be planned alone (<see cref="AppendStage"/>): the network, how many members were accepted and the
/// youngest of them, the MACs claimed (not who claims them: the members' settings are not kept) and how many claims were refused, the invalid edits kept, the ports and
/// hooks, the MACs the kernel's trees carry, the leaf, and each direction's state. Only what an append reads is
/// kept (the agent holds it for every bridge). What appends add is kept beside it (<see cref="AppendedMacs"/>,
/// <see cref="AppendedInbound"/>, <see cref="AppendedOutbound"/>), so an append copies nothing that grows with
/// the bridge but the desired trees.
/// </summary>
internal sealed record BridgeContext(
    NetworkSettings Network,
    int Accepted,
    InterfaceSettings? Youngest,
    IReadOnlySet<MacAddress> Macs,
    int RefusedMacs,
    int KeptEdits,
    PortTable Ports,
    Hooks Hooks,
    IReadOnlyDictionary<MacAddress, ushort> KernelInbound,
    IReadOnlyDictionary<MacAddress, ushort> KernelOutbound,
    string LeafKind,
    QdiscOptions Leaf,
    DirectionState Inbound,
    DirectionState Outbound)
{
    public ImmutableHashSet<MacAddress> AppendedMacs { get; init; } = [];

    /// <summary>Class IDs appended interfaces took inbound (beside <see cref="DirectionState.Taken"/>).</summary>
    public ImmutableHashSet<ushort> AppendedInbound { get; init; } = [];

    public ImmutableHashSet<ushort> AppendedOutbound { get; init; } = [];

    public bool IsClaimed(MacAddress mac) => Macs.Contains(mac) || AppendedMacs.Contains(mac);

    public bool InKernel(MacAddress mac) => KernelInbound.ContainsKey(mac) || KernelOutbound.ContainsKey(mac);
}

/// <summary>
/// One direction of a planned bridge as an append reads it: the desired tree, its IFB, Σ floors applied, Σ rates of
/// its classes, every class ID taken, and whether no refusal in it depends on the other interfaces.
/// </summary>
internal sealed record DirectionState(IReadOnlyList<TcObject> Tree, string Ifb, BitRate FloorSum, BitRate ClassRates, IReadOnlySet<ushort> Taken, bool Settled)
{
    private static readonly IReadOnlyDictionary<ObjectRef, Trees.FloorClass> NoKept = new Dictionary<ObjectRef, Trees.FloorClass>();

    public static DirectionState Of(DirectionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var settled = plan.Kept.Count == 0;
        foreach (var r in plan.Refused)
        {
            // A floor that did not fit says what is left of the capacity, and running out of class IDs is a matter of
            // the whole bridge; other refusals (no network average, a floor above the whole average) are the interface's.
            if (r is { Reason: ConditionReasons.FloorOvercommitted or ConditionReasons.ClassIdsExhausted })
            {
                settled = false;
            }
        }

        return new DirectionState(plan.Tree, plan.Ifb, plan.FloorSum, plan.ClassRates, plan.Taken, settled);
    }

    /// <summary>As the outcome stage reads a bridge's direction (its tree, floor sum and IFB).</summary>
    public DirectionPlan AsPlan() => new([], [], [], [], NoKept, Tree, FloorSum, Ifb);

    /// <summary>One interface's plan in this direction, for the outcome stage.</summary>
    public DirectionPlan One(ushort id, bool inTree, BitRate? applied) => new([id], [inTree], [applied], [null], NoKept, [], applied ?? BitRate.Zero, Ifb);
}
