using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Allocation;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 6, classes and the desired tree (one direction): each interface that can have a class gets one at
/// its admitted floor (or the token rate when it only caps), with the ID it holds or the lowest free one;
/// refusals say why not. The tree (<see cref="ShapingTree"/>) exists when the network has a capacity in this
/// direction or some interface caps in it. Pure.
/// </summary>
internal static class ClassStage
{
    public static DirectionPlan Build(
        DirectionSpec spec,
        IReadOnlyList<InterfaceSettings> accepted,
        IReadOnlyList<bool> shaped,
        HeldClassIds held,
        Admission admission,
        string ifb,
        QdiscOptions leaf,
        string node)
    {
        var net = spec.Network;
        var capacity = spec.Capacity;
        var allocator = new ClassIdAllocator(held.Taken.Count + accepted.Count);
        foreach (var taken in held.Taken)
        {
            allocator.TryClaim(taken);
        }

        var classOf = new ushort[accepted.Count];
        for (var i = 0; i < classOf.Length; i++)
        {
            classOf[i] = held.ClassOf[i];
        }

        var inTree = new bool[accepted.Count];
        var applied = new BitRate?[accepted.Count];
        var refused = new ConditionOutcome?[accepted.Count];
        var classes = new List<FloorClass>(held.Kept.Count + accepted.Count);
        classes.AddRange(held.Kept.Values);
        var floorSum = held.KeptSum;
        for (var i = 0; i < accepted.Count; i++)
        {
            var s = accepted[i];
            if (!shaped[i] || !spec.Wants(s))
            {
                continue;
            }

            var limits = spec.Limits(s);
            BitRate? granted = null;
            if (limits.Floor is { } floor)
            {
                if (capacity is null)
                {
                    refused[i] = new(false, ConditionReasons.FloorNeedsNetworkAverage, $"{s.Ref}: {spec.Field}.floor: BridgeNetwork {net.Name} has no {spec.Field}.average to carve floors from");
                }
                else
                {
                    var d = admission.Decisions[i]!;
                    granted = d.Granted;
                    if (!d.FullyAdmitted)
                    {
                        refused[i] = floor > capacity.Value
                            ? new(false, ConditionReasons.FloorAboveNetworkAverage, $"{s.Ref}: {spec.Field}.floor: floor {floor} is above the whole {spec.Word} average {capacity.Value} of BridgeNetwork {net.Name}; it can never be admitted (lower it, or raise the network's {spec.Field}.average)")
                            : new(false, ConditionReasons.FloorOvercommitted, d.Message);
                    }
                }
            }

            var rate = granted ?? (limits.Average is not null ? ShapingTree.LimitOnlyRate : null);
            if (rate is null)
            {
                // No class now: an ID it holds stays reserved for it.
                continue;
            }

            ushort? id = classOf[i] != 0 ? classOf[i] : allocator.Allocate();
            if (id is null)
            {
                refused[i] = new(false, ConditionReasons.ClassIdsExhausted, $"all class IDs {ClassIdAllocator.First}..{ClassIdAllocator.Last} on bridge {net.Bridge} on node {node} are in use");
                continue;
            }

            classOf[i] = id.Value;
            inTree[i] = true;
            if (granted is { } g)
            {
                applied[i] = g;
                floorSum += g;
            }

            classes.Add(new FloorClass(id.Value, s.Mac, rate.Value, limits.Average ?? capacity ?? ShapingTree.Unbounded, limits.Burst, limits.Peak));
        }

        var tree = capacity is not null || classes.Count > 0
            ? ShapingTree.Build(ifb, spec.Direction, capacity ?? ShapingTree.Unbounded, spec.Burst, classes, leaf)
            : [];
        var classRates = BitRate.Zero;
        foreach (var c in classes)
        {
            classRates += c.Floor;
        }

        return new DirectionPlan(classOf, inTree, applied, refused, held.Kept, tree, floorSum, ifb) { Taken = allocator.Taken, ClassRates = classRates };
    }
}
