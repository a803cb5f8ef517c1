using System.Collections.Immutable;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Allocation;
using BandwidthOperator.Shaping.Diff;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Interfaces appended to a settled plan, planned alone (docs/architecture.md, "The planner pipeline"): when
/// the last plan left nothing to do on these very facts and the request is that plan's with new interfaces
/// added, each new one is taken through the same stages on its own — validated, its network and namespace
/// checked, its MAC claimed, the lowest free class ID, admission against what is left of the capacity, its
/// classes and filters (<see cref="ShapingTree"/>), its outcome (<see cref="OutcomeStage"/>) — and only its
/// objects and the default classes whose rate it changes are diffed against the kernel (<see cref="TreeDiff"/>).
/// The result is the plan the whole pipeline would make (held to it by tests), at a cost that does not grow
/// with the bridge. Whenever an answer could depend on the other interfaces in a way this does not follow —
/// the newcomer is not the youngest of its network, claims a MAC already claimed or carried by the kernel, holds
/// class IDs in its status, is refused (invalid, not admitted, no class ID, port it cannot pass), needs a tree
/// that does not exist yet, or the bridge has refusals or kept invalid edits whose messages depend on the rest —
/// it answers null and the whole pipeline plans.
/// </summary>
internal static class AppendStage
{
    /// <param name="last">The settled plan (no operations) on <paramref name="facts"/>.</param>
    /// <param name="context">What <paramref name="last"/> was made of.</param>
    /// <param name="added">Positions in <paramref name="request"/>'s interfaces of those that <paramref name="last"/>'s request did not have.</param>
    /// <param name="atEnd">Whether the added interfaces come after every other one in the request (list order decides age only between objects without creation time).</param>
    public static (NodePlan Plan, PlanContext Context)? Plan(NodePlan last, PlanContext context, NodeRequest request, NodeFacts facts, IReadOnlyList<int> added, bool atEnd)
    {
        var bridges = new Dictionary<string, BridgeContext>(context.Bridges, StringComparer.Ordinal);
        var outcomes = new List<InterfaceOutcome>(added.Count);
        var desired = new List<TcObject>();
        foreach (var index in added)
        {
            var ibw = request.Interfaces[index];
            if (ibw.Spec?.NodeName != request.NodeName)
            {
                return null;
            }

            var (s, _) = MemberStage.Validate(ibw, index + 1);
            if (s is null
                || !context.Networks.ByName.TryGetValue(s.Network, out var entry) || entry.Settings is not { } net
                || !request.InScope(net.Bridge)
                || (request.NamespaceLabels is { } nsLabels && net.NamespaceSelector is not null
                    && !LabelSelectorMatcher.Matches(net.NamespaceSelector, nsLabels.TryGetValue(s.Ref.Namespace ?? string.Empty, out var l) ? l : new Dictionary<string, string>()))
                || !bridges.TryGetValue(s.Network, out var b)
                || Append(b, s, facts, request.NodeName, atEnd, desired) is not { } appended)
            {
                return null;
            }

            bridges[s.Network] = appended.Context;
            outcomes.Add(appended.Outcome);
        }

        // Only the objects of the newcomers and the default classes they change can differ from the kernel: the last
        // plan left nothing else to do on these facts.
        var keys = desired.Select(o => o.Key).ToHashSet();
        var owned = facts.Observed.Objects.Where(o => keys.Contains(o.Key)).ToList();
        var operations = TreeDiff.Plan(desired, owned, NodePlanner.Recreate);

        var interfaces = new List<InterfaceOutcome>(last.Interfaces.Count + outcomes.Count);
        interfaces.AddRange(last.Interfaces);
        foreach (var o in outcomes)
        {
            var at = NodePlanner.IndexOf(interfaces, o.Ref);
            if (at >= 0)
            {
                return null; // an outcome by that name already: not a newcomer
            }

            interfaces.Insert(~at, o);
        }

        var bridgeOutcomes = last.Bridges.Select(bo => bridges.TryGetValue(bo.Network, out var b) && !ReferenceEquals(b, context.Bridges[bo.Network])
            ? OutcomeStage.Bridge(b.Network, b.Accepted, b.LeafKind, b.Inbound.AsPlan(), b.Outbound.AsPlan(), b.Ports, b.Hooks)
            : bo).ToList();
        var plan = last with { Bridges = bridgeOutcomes, Interfaces = interfaces, Operations = operations };
        return (plan, context with { Bridges = bridges });
    }

    private static (BridgeContext Context, InterfaceOutcome Outcome)? Append(BridgeContext b, InterfaceSettings s, NodeFacts facts, string node, bool atEnd, List<TcObject> desired)
    {
        if (b.KeptEdits > 0 || b.RefusedMacs > 0 || !b.Inbound.Settled || !b.Outbound.Settled
            || s.StatusClassId is not null || s.StatusOutboundClassId is not null
            || b.IsClaimed(s.Mac) || b.InKernel(s.Mac)
            || !b.Ports.CanShape(s, facts))
        {
            return null;
        }

        if (b.Youngest is { } youngest && (NodePlanner.AgeOrder(youngest, s) >= 0 || (youngest.Created is null && s.Created is null && !atEnd)))
        {
            return null;
        }

        if (Direction(new DirectionSpec(Trees.Direction.Inbound, b.Network), b.Inbound, b.AppendedInbound, s, b.Leaf, desired) is not { } inbound
            || Direction(new DirectionSpec(Trees.Direction.Outbound, b.Network), b.Outbound, b.AppendedOutbound, s, b.Leaf, desired) is not { } outbound)
        {
            return null;
        }

        var outcome = OutcomeStage.Interfaces(b.Network, [s], inbound.One, outbound.One, b.Hooks, facts, node)[0];
        return (b with
        {
            Accepted = b.Accepted + 1,
            Youngest = s,
            AppendedMacs = b.AppendedMacs.Add(s.Mac),
            Inbound = inbound.Bridge,
            Outbound = outbound.Bridge,
            AppendedInbound = inbound.Id is { } inId ? b.AppendedInbound.Add(inId) : b.AppendedInbound,
            AppendedOutbound = outbound.Id is { } outId ? b.AppendedOutbound.Add(outId) : b.AppendedOutbound,
        }, outcome);
    }

    /// <summary>
    /// The newcomer in one direction: its plan alone (for its outcome), the bridge's direction with it (tree, floor sum,
    /// class rates) and the class ID it took; null when it is refused or needs what is not there.
    /// </summary>
    private static (DirectionPlan One, DirectionState Bridge, ushort? Id)? Direction(DirectionSpec spec, DirectionState state, ImmutableHashSet<ushort> appended, InterfaceSettings s, QdiscOptions leaf, List<TcObject> desired)
    {
        if (!spec.Wants(s))
        {
            return (state.One(0, false, null), state, null);
        }

        var limits = spec.Limits(s);
        var capacity = spec.Capacity;
        if (state.Tree.Count == 0)
        {
            return null;
        }

        BitRate? granted = null;
        if (limits.Floor is { } floor)
        {
            if (capacity is not { } c || state.FloorSum + floor > c)
            {
                return null;
            }

            granted = floor;
        }

        var rate = granted ?? ShapingTree.LimitOnlyRate;
        if (LowestFree(state.Taken, appended) is not { } id)
        {
            return null;
        }

        var bound = capacity ?? ShapingTree.Unbounded;
        var ifb = state.Ifb;
        var (cls, classLeaf) = ShapingTree.ClassOf(ifb, new FloorClass(id, s.Mac, rate, limits.Average ?? bound, limits.Burst, limits.Peak), bound, leaf);
        var classRates = state.ClassRates + rate;
        var defaultClass = ShapingTree.DefaultClass(ifb, bound, classRates);
        var filter = ShapingTree.MacFilter(ifb, spec.Direction, id, s.Mac);
        var (table, link) = ShapingTree.TableOf(ifb, spec.Direction, BridgeTree.TableOf(id));

        var tree = new List<TcObject>(state.Tree.Count + 5);
        var hasTable = false;
        foreach (var o in state.Tree)
        {
            hasTable |= o.Key == table.Key;
            tree.Add(o.Key == defaultClass.Key ? defaultClass : o);
        }

        tree.Add(cls);
        tree.Add(classLeaf);
        desired.Add(defaultClass);
        desired.Add(cls);
        desired.Add(classLeaf);
        if (!hasTable)
        {
            tree.Add(table);
            tree.Add(link);
            desired.Add(table);
            desired.Add(link);
        }

        tree.Add(filter);
        desired.Add(filter);
        return (state.One(id, true, granted), state with { Tree = tree, ClassRates = classRates, FloorSum = state.FloorSum + (granted ?? BitRate.Zero) }, id);
    }

    /// <summary>What <see cref="ClassIdAllocator.Allocate"/> gives with <paramref name="taken"/> and <paramref name="appended"/> taken: the lowest free ID.</summary>
    private static ushort? LowestFree(IReadOnlySet<ushort> taken, ImmutableHashSet<ushort> appended)
    {
        for (int id = ClassIdAllocator.First; id <= ClassIdAllocator.Last; id++)
        {
            if (!taken.Contains((ushort)id) && !appended.Contains((ushort)id))
            {
                return (ushort)id;
            }
        }

        return null;
    }
}

/// <summary>What a whole plan was made of, kept with it for <see cref="AppendStage"/>: the networks, and each planned network's bridge.</summary>
internal sealed record PlanContext(NetworkTable Networks, IReadOnlyDictionary<string, BridgeContext> Bridges);
