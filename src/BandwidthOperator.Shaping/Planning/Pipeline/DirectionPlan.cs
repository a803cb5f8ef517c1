using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// One direction of one bridge, planned: per accepted interface (by position) its class ID (0 = none), whether
/// it has a class in the tree, the floor applied and why it was refused; the classes kept for invalid edits;
/// the desired tree on <see cref="Ifb"/> (empty when the direction needs none) and the sum of its floors;
/// every class ID in use or held (<see cref="Taken"/>) and the sum of the rates of the tree's classes
/// (<see cref="ClassRates"/>: what the default class's rate is computed from) — what an appended interface
/// needs (<see cref="AppendStage"/>).
/// </summary>
internal sealed record DirectionPlan(
    IReadOnlyList<ushort> ClassOf,
    IReadOnlyList<bool> InTree,
    IReadOnlyList<BitRate?> Applied,
    IReadOnlyList<ConditionOutcome?> Refused,
    IReadOnlyDictionary<ObjectRef, FloorClass> Kept,
    IReadOnlyList<TcObject> Tree,
    BitRate FloorSum,
    string Ifb)
{
    public IReadOnlySet<ushort> Taken { get; init; } = new HashSet<ushort>();

    public BitRate ClassRates { get; init; }

    public ushort? ClassIdOf(int i) => ClassOf[i] is var id and not 0 ? id : null;
}
