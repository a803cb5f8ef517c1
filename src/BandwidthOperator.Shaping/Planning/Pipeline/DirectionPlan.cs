using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// One direction of one bridge, planned: per accepted interface (by position) its class ID (0 = none), whether
/// it has a class in the tree, the floor applied and why it was refused; the classes kept for invalid edits;
/// the desired tree on <see cref="Ifb"/> (empty when the direction needs none) and the sum of its floors.
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
    public ushort? ClassIdOf(int i) => ClassOf[i] is var id and not 0 ? id : null;
}
