using System.Runtime.CompilerServices;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Diff;
using BandwidthOperator.Shaping.Planning.Pipeline;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning;

/// <summary>
/// Resources + what the kernel holds → desired trees, admission, class IDs, conditions and the ordered
/// operations that get the kernel there. Pure: no kernel, no clock, no API server. Level-triggered:
/// the whole node — or the bridges of <see cref="NodeRequest.ScopeBridges"/> — is recomputed every time.
/// <para>
/// A pipeline of pure stages, each returning an immutable result (docs/architecture.md, "The planner
/// pipeline"): kernel index → networks → members → per bridge (kernel claims → MAC claims → ports →
/// per direction class IDs → admission → classes and tree → hooks → outcomes) → what is ours
/// (<see cref="Ownership.KernelOwnership"/>) → diff (<see cref="TreeDiff"/>).
/// </para>
/// </summary>
public static class NodePlanner
{
    // What each plan was made of, for PlanAppended: kept beside the plan (not in it), as long as the plan lives.
    private static readonly ConditionalWeakTable<NodePlan, PlanContext> Contexts = [];

    public static NodePlan Plan(NodeRequest request, NodeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(facts);
        var kernel = KernelIndex.Of(facts);
        var networks = NetworkStage.Resolve(request);
        var members = MemberStage.Attach(request, networks);

        var bridges = new List<BridgePlan>(networks.Planned.Count);
        foreach (var net in networks.Planned)
        {
            var name = net.Outcome.Network;
            bridges.Add(BridgeStage.Plan(net.Settings!, members.Of(name), members.EditsOf(name), kernel, request.NodeName));
        }

        // Desired and owned, node-wide: the planned bridges', then bridges no network names any more (deleted,
        // or no longer selecting this node: what we put on them and their ports goes, the previous layout's
        // root tree too; bridges of invalid networks are left as they are), then orphaned IFB devices.
        var desired = new List<TcObject>(bridges.Sum(b => b.Desired.Count));
        var owned = new List<TcObject>(bridges.Sum(b => b.Owned.Count) + 8);
        foreach (var b in bridges)
        {
            desired.AddRange(b.Desired);
            owned.AddRange(b.Owned);
        }

        if (request.PruneUnnamedBridges)
        {
            foreach (var dev in facts.Devices.Values)
            {
                if (dev.IsBridge && request.InScope(dev.Name) && !networks.BridgeOwner.ContainsKey(dev.Name) && !networks.ProtectedBridges.Contains(dev.Name))
                {
                    owned.AddRange(OwnedStage.OfUnnamedBridge(dev.Name, kernel));
                }
            }
        }

        var managedIfbs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in owned)
        {
            if (o is IfbLink l)
            {
                managedIfbs.Add(l.Device);
            }
        }

        foreach (var o in desired)
        {
            if (o is IfbLink l)
            {
                managedIfbs.Add(l.Device);
            }
        }

        owned.AddRange(OwnedStage.OrphanIfbs(request, networks, kernel, managedIfbs));

        var operations = TreeDiff.Plan(desired, owned, Recreate);
        var plan = new NodePlan([.. bridges.Select(b => b.Outcome)], Outcomes(members, bridges), operations, networks.Issues) { Networks = networks.Outcomes };
        var contexts = new Dictionary<string, BridgeContext>(StringComparer.Ordinal);
        foreach (var b in bridges)
        {
            if (b.Context is { } c)
            {
                contexts[c.Network.Name] = c;
            }
        }

        Contexts.AddOrUpdate(plan, new PlanContext(networks, contexts));
        return plan;
    }

    /// <summary>
    /// The plan for <paramref name="request"/> when it is the request of <paramref name="last"/> — a plan with nothing
    /// left to do on these very <paramref name="facts"/> — with the interfaces at <paramref name="added"/> added: each
    /// newcomer planned alone (<see cref="AppendStage"/>), at a cost that does not grow with the bridge. Null when that
    /// cannot be told without planning the whole node (then call <see cref="Plan"/>); the answer, when there is one,
    /// is what <see cref="Plan"/> would return (docs/architecture.md, "The planner pipeline").
    /// </summary>
    /// <param name="atEnd">Whether the added interfaces are the last ones of the request's list.</param>
    public static NodePlan? PlanAppended(NodePlan last, NodeRequest request, NodeFacts facts, IReadOnlyList<int> added, bool atEnd)
    {
        ArgumentNullException.ThrowIfNull(last);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(added);
        if (!last.IsEmpty || added.Count == 0 || !Contexts.TryGetValue(last, out var context)
            || AppendStage.Plan(last, context, request, facts, added, atEnd) is not { } appended)
        {
            return null;
        }

        Contexts.AddOrUpdate(appended.Plan, appended.Context);
        return appended.Plan;
    }

    /// <summary>
    /// <paramref name="last"/> itself when <paramref name="request"/> is <paramref name="previous"/> (the request it was
    /// planned for, on the same facts) with only the status class IDs of the interfaces at <paramref name="changed"/>
    /// caught up with what <paramref name="last"/> gave them — what the agent's reconcile does between planning and
    /// applying (class IDs reach the API before the kernel). Such a change plans alike: an ID held in the status is
    /// claimed first, and it is the ID the plan gave; the rest of each interface (validated) must be unchanged. Null
    /// otherwise. Held to the whole pipeline by tests (docs/architecture.md, "The planner pipeline").
    /// </summary>
    public static NodePlan? PlanStatusCaughtUp(NodePlan last, NodeRequest previous, NodeRequest request, IReadOnlyList<int> changed)
    {
        ArgumentNullException.ThrowIfNull(last);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(changed);
        if (changed.Count == 0 || previous.Interfaces.Count != request.Interfaces.Count)
        {
            return null;
        }

        foreach (var i in changed)
        {
            var (before, after) = (previous.Interfaces[i], request.Interfaces[i]);
            if (string.IsNullOrEmpty(after.Metadata?.Uid) || after.Metadata.Uid != before.Metadata?.Uid
                || MemberStage.Validate(before, i + 1).Settings is not { } was
                || MemberStage.Validate(after, i + 1).Settings is not { } now
                || now != was with { StatusClassId = now.StatusClassId, StatusOutboundClassId = now.StatusOutboundClassId }
                || IndexOf(last.Interfaces, now.Ref) is not (>= 0 and var at)
                || last.Interfaces[at] is not { } outcome
                || outcome.ClassId != now.StatusClassId || outcome.OutboundClassId != now.StatusOutboundClassId)
            {
                return null;
            }
        }

        return last;
    }

    /// <summary>
    /// Where <paramref name="name"/>'s outcome is in <paramref name="sorted"/> (a plan's interfaces, by name), or the
    /// bitwise complement of where it would go, as <see cref="List{T}.BinarySearch(T)"/> answers.
    /// </summary>
    internal static int IndexOf(IReadOnlyList<InterfaceOutcome> sorted, ObjectRef name)
    {
        var (lo, hi) = (0, sorted.Count - 1);
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var c = sorted[mid].Ref.CompareTo(name);
            if (c == 0)
            {
                return mid;
            }

            (lo, hi) = c < 0 ? (mid + 1, hi) : (lo, mid - 1);
        }

        return ~lo;
    }

    /// <summary><paramref name="plan"/> with nothing left to do (its operations were applied and verified), still able to be appended to (<see cref="PlanAppended"/>).</summary>
    public static NodePlan Settled(NodePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var settled = plan with { Operations = [] };
        if (Contexts.TryGetValue(plan, out var context))
        {
            Contexts.AddOrUpdate(settled, context);
        }

        return settled;
    }

    /// <summary>
    /// A class that only capped (token rate) and now gets a floor is made anew: HTB keeps the deficit it ran up
    /// borrowing at the token rate, and would not give it the floor for up to a minute.
    /// </summary>
    internal static bool Recreate(HtbClass observed, HtbClass wanted) => observed.Rate <= ShapingTree.LimitOnlyRate && wanted.Rate > ShapingTree.LimitOnlyRate;

    /// <summary>Every interface's outcome, by namespace and name: refused early, or on its bridge (a kept invalid edit replaces its refusal).</summary>
    private static List<InterfaceOutcome> Outcomes(MemberTable members, List<BridgePlan> bridges)
    {
        var count = members.Refused.Count;
        HashSet<ObjectRef>? replaced = null;
        foreach (var b in bridges)
        {
            count += b.Interfaces.Count + b.KeptEdits.Count;
            foreach (var k in b.KeptEdits)
            {
                (replaced ??= []).Add(k.Ref);
            }
        }

        var outcomes = new List<InterfaceOutcome>(count);
        foreach (var r in members.Refused)
        {
            if (replaced is null || !replaced.Contains(r.Ref))
            {
                outcomes.Add(r);
            }
        }

        foreach (var b in bridges)
        {
            outcomes.AddRange(b.Interfaces);
            outcomes.AddRange(b.KeptEdits);
        }

        outcomes.Sort((a, b) => a.Ref.CompareTo(b.Ref));
        return outcomes;
    }

    /// <summary>Older first: creationTimestamp, then namespace/name; without timestamps, list order.</summary>
    public static int AgeOrder(InterfaceSettings a, InterfaceSettings b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Created is { } ca && b.Created is { } cb && ca != cb)
        {
            return ca.CompareTo(cb);
        }

        if (a.Created is null && b.Created is null)
        {
            return a.Order.CompareTo(b.Order);
        }

        if (a.Created is null != (b.Created is null))
        {
            return a.Created is null ? 1 : -1;
        }

        return a.Ref.CompareTo(b.Ref);
    }

    public static QdiscOptions LeafOptions(string kind) => kind switch
    {
        "fq_codel" => new FqCodelQdiscOptions(),
        "sfq" => new SfqQdiscOptions(),
        _ => FifoQdiscOptions.Pfifo(1000),
    };
}
