using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Allocation;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 4, class IDs held (one direction): an ID from the status first, then the one the kernel's filter
/// carries for the MAC (only for interfaces that can have a class now); then the classes of invalid edits,
/// kept at the kernel's rate and ceiling. Newcomers get theirs after admission (<see cref="ClassStage"/>). Pure.
/// </summary>
internal static class ClassIdStage
{
    public static HeldClassIds Hold(DirectionSpec spec, IReadOnlyList<InterfaceSettings> accepted, IReadOnlyList<bool> shaped, IReadOnlyList<LastApplied> edits, DirectionClaims kernel)
    {
        var allocator = new ClassIdAllocator(accepted.Count + edits.Count);
        var classOf = new ushort[accepted.Count];
        for (var i = 0; i < accepted.Count; i++)
        {
            if (spec.Wants(accepted[i]) && spec.StatusId(accepted[i]) is { } id && allocator.TryClaim(id))
            {
                classOf[i] = id;
            }
        }

        for (var i = 0; i < accepted.Count; i++)
        {
            if (classOf[i] == 0 && shaped[i] && spec.Wants(accepted[i]) && kernel.ClassOfMac.TryGetValue(accepted[i].Mac, out var id) && allocator.TryClaim(id))
            {
                classOf[i] = id;
            }
        }

        // Invalid edits keep the class the kernel carries for their MAC (its rate counts against the capacity).
        var kept = new Dictionary<ObjectRef, FloorClass>();
        foreach (var h in edits)
        {
            if (h.KeepClass(kernel.ClassOfMac, kernel.Rate, kernel.Ceil, allocator) is { } k)
            {
                kept[h.Ref] = k;
            }
        }

        var keptSum = BitRate.Zero;
        foreach (var k in kept.Values)
        {
            keptSum += k.Floor > ShapingTree.LimitOnlyRate ? k.Floor : BitRate.Zero;
        }

        return new HeldClassIds(classOf, allocator.Taken, kept, keptSum);
    }
}
