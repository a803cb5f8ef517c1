using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Diff;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Engine;

/// <summary>
/// The engine the agent and the <c>plan</c>/<c>apply</c> commands share: read the kernel → plan → apply
/// → read back. When the kernel refuses an operation, the interfaces (and bridges) it concerned are
/// reported with <c>KernelError</c> and what was applied before it stays.
/// <para>
/// Plans are memoised per set of bridges (docs/architecture.md, "The kernel view"): when the request's
/// <see cref="RequestFingerprint"/> is the last one's and the kernel returned the very same facts (a
/// <see cref="CachingNodeKernel"/> with no change notified since), the last plan is the answer — no
/// kernel read, no planning. A kernel read afresh every time (the CLI) never matches, so it always plans.
/// One caller at a time (the reconciler runs one key at a time).
/// </para>
/// <para>
/// After a pass the kernel is read back. When the kernel view vouches that the only change since the plan's
/// facts is the objects the pass wrote, each read back (<see cref="INodeKernel.ReadBackFacts"/>), and each is
/// what its operation asked for (<see cref="TreeDiff.Matches"/>), the pass is verified without planning again;
/// anything else (a kernel read afresh, a delete, a refused operation, a notification in between, an object
/// read back different) is verified as before, by planning on the facts read back.
/// </para>
/// </summary>
public sealed class NodeConverger(INodeKernel kernel)
{
    private const int ReadBackAttempts = 3;
    private const int MemoLimit = 256;
    private static readonly TimeSpan ReadBackPause = TimeSpan.FromMilliseconds(50);
    private readonly Dictionary<string, Memo> _memo = new(StringComparer.Ordinal);

    /// <summary>Plans computed (the planner ran).</summary>
    public long PlansMade { get; private set; }

    /// <summary>Plans answered from the memo (same request, same kernel facts).</summary>
    public long PlansReused { get; private set; }

    /// <summary>Passes verified object by object (every written object read back as planned) instead of by a second plan.</summary>
    public long PassesVerified { get; private set; }

    /// <summary>Plans made for interfaces added to a settled plan, each planned alone (<see cref="NodePlanner.PlanAppended"/>), not the whole bridge.</summary>
    public long PlansAppended { get; private set; }

    /// <summary>Requests whose only change was status class IDs caught up with the last plan: that plan stands (<see cref="NodePlanner.PlanStatusCaughtUp"/>).</summary>
    public long PlansCaughtUp { get; private set; }

    public NodePlan PlanOnly(NodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Plan(request, Bridges(request));
    }

    public ConvergeResult Converge(NodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bridges = Bridges(request);
        var plan = Plan(request, bridges);
        if (plan.IsEmpty)
        {
            return new ConvergeResult(plan, null, plan.Interfaces, plan.Bridges, 0);
        }

        var applied = kernel.Apply(plan.Operations);
        var after = ReadBack(request, bridges, plan, applied);

        // The node changed under the pass: a guest's MAC reached the bridge's forwarding database (or a
        // port came or went) between the first read and the read-back, so the plan was made from stale
        // facts and the read-back asks for per-interface objects the first plan could not know about.
        // That is not a failed apply: one more pass applies what the new facts ask for.
        if (applied.Succeeded && !after.IsEmpty && DevicesChanged(plan, after))
        {
            var again = kernel.Apply(after.Operations);
            plan = plan with { Operations = [.. plan.Operations, .. after.Operations] };
            applied = new KernelApplyResult(applied.Applied + again.Applied, applied.KernelWrites + again.KernelWrites, again.Failed, again.Error);
            after = ReadBack(request, bridges, after, again);
        }

        var interfaces = after.Interfaces;
        var bridgeOutcomes = after.Bridges;
        if (!applied.Succeeded)
        {
            var failedDevice = applied.Failed?.Target.Device;
            var message = $"kernel refused: {applied.Error}";
            // The failed device may be the bridge, one of its IFBs (its trees) or one of its ports (a hook).
            var failedBridges = bridgeOutcomes
                .Where(b => b.Bridge == failedDevice || b.Ifbs.Contains(failedDevice) || b.Ports.Any(p => p.Name == failedDevice))
                .Select(b => b.Bridge)
                .ToHashSet(StringComparer.Ordinal);
            interfaces = [.. interfaces.Select(i =>
                i.Ready.Status && (failedDevice is null || i.Device == failedDevice || (i.Bridge is { } br && failedBridges.Contains(br)))
                    ? i.WithReady(new ConditionOutcome(false, ConditionReasons.KernelError, message))
                    : i)];
            bridgeOutcomes = [.. bridgeOutcomes.Select(b => failedBridges.Contains(b.Bridge) ? b with { Ready = false, Message = message } : b)];
        }

        return new ConvergeResult(plan, applied, interfaces, bridgeOutcomes, after.Operations.Count) { Remaining = after.Operations };
    }

    /// <summary>
    /// Reads the kernel again and plans: what is still to do after <paramref name="plan"/> was applied (empty when
    /// the kernel now matches). A device the pass just made (an IFB) can take a moment to show every change, so a
    /// difference is read again a few times before it counts.
    /// </summary>
    private NodePlan ReadBack(NodeRequest request, string[] bridges, NodePlan plan, KernelApplyResult applied)
    {
        NodePlan after;
        var key = Key(request, bridges);
        if (applied.Succeeded && _memo.TryGetValue(key, out var last) && ReferenceEquals(last.Plan, plan) && !plan.Operations.Any(op => op.Verb == TcVerb.Delete))
        {
            // One read either way: the facts read back are verified object by object when the kernel view vouches
            // for them, else planned on.
            var facts = kernel.ReadBackFacts(bridges, WholeNode(request), last.Facts, out var readBack);
            if (readBack is not null && AsPlanned(plan, readBack))
            {
                var verified = NodePlanner.Settled(plan);
                _memo[key] = new Memo(last.Request, facts, verified, last.Source);
                PassesVerified++;
                return verified;
            }

            after = Plan(request, bridges, facts);
        }
        else
        {
            after = Plan(request, bridges);
        }

        for (var settle = 0; settle < ReadBackAttempts && applied.Succeeded && !after.IsEmpty; settle++)
        {
            Thread.Sleep(ReadBackPause);
            kernel.Refresh(bridges);
            after = Plan(request, bridges);
        }

        return after;
    }

    /// <summary>
    /// Whether each object <paramref name="plan"/> added or changed is, as read back, what its operation asked for
    /// (<see cref="TreeDiff.Matches"/>). With nothing else changed since the plan's facts
    /// (<see cref="INodeKernel.ReadBackFacts"/>), the plan made on the facts read back would be empty and its outcomes
    /// the same, so it is not made: the memo holds <paramref name="plan"/> with nothing left to do for those facts.
    /// </summary>
    private static bool AsPlanned(NodePlan plan, IReadOnlyDictionary<TcObjectKey, TcObject> readBack)
    {
        foreach (var op in plan.Operations)
        {
            if (!readBack.TryGetValue(op.Target.Key, out var got) || !TreeDiff.Matches(got, op.Target))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads the facts and plans, unless the request and the facts are the last ones for these bridges.</summary>
    private NodePlan Plan(NodeRequest request, string[] bridges) => Plan(request, bridges, kernel.ReadFacts(bridges, WholeNode(request)));

    /// <summary>Plans on <paramref name="facts"/>, unless the request and the facts are the last ones for these bridges.</summary>
    private NodePlan Plan(NodeRequest request, string[] bridges, NodeFacts facts)
    {
        var fingerprint = RequestFingerprint.Of(request);
        var key = Key(request, bridges);
        if (_memo.TryGetValue(key, out var last) && ReferenceEquals(last.Facts, facts) && last.Request.Equals(fingerprint))
        {
            PlansReused++;
            return last.Plan;
        }

        // The status class IDs caught up with the last plan on these very facts (the reconciler writes them between
        // planning and applying): that plan stands.
        if (last is not null && ReferenceEquals(last.Facts, facts) && fingerprint.IsUpdateOf(last.Request, out var changed)
            && NodePlanner.PlanStatusCaughtUp(last.Plan, last.Source, request, changed) is { } same)
        {
            PlansCaughtUp++;
            _memo[key] = new Memo(fingerprint, facts, same, request);
            return same;
        }

        // Interfaces added to a plan that left nothing to do on these very facts: only the newcomers are planned.
        NodePlan? plan = null;
        if (last is not null && ReferenceEquals(last.Facts, facts) && last.Plan.IsEmpty
            && fingerprint.IsAppendedTo(last.Request, out var added, out var atEnd)
            && NodePlanner.PlanAppended(last.Plan, request, facts, added, atEnd) is { } appended)
        {
            plan = appended;
            PlansAppended++;
        }
        else
        {
            plan = NodePlanner.Plan(request, facts);
        }

        PlansMade++;
        if (_memo.Count >= MemoLimit && !_memo.ContainsKey(key))
        {
            _memo.Clear();
        }

        _memo[key] = new Memo(fingerprint, facts, plan, request);
        return plan;
    }

    /// <summary>
    /// Whether the plan needs every bridge's objects: only when our trees on bridges no network names are
    /// to be removed (<see cref="NodeRequest.PruneUnnamedBridges"/>: the agent's whole-node passes,
    /// <c>apply --prune</c>); otherwise the named bridges' objects are all it looks at, and a request scoped
    /// to some bridges (<see cref="NodeRequest.ScopeBridges"/>) needs only theirs.
    /// </summary>
    private static bool WholeNode(NodeRequest request) => request.PruneUnnamedBridges && request.ScopeBridges is null;

    /// <summary>
    /// The memo's key: the bridges read, and whether the plan covers the whole node (it then also prunes
    /// bridges no network names) or only those bridges — a scoped and a whole-node request over the same
    /// networks plan differently even on the same facts.
    /// </summary>
    private static string Key(NodeRequest request, string[] bridges) => (WholeNode(request) ? "node\n" : "bridges\n") + string.Join('\n', bridges);

    /// <summary>Whether an interface's host device (from <c>spec.device</c> or the bridge's FDB) resolved differently in the two plans.</summary>
    private static bool DevicesChanged(NodePlan before, NodePlan after)
    {
        var devices = new Dictionary<ObjectRef, string?>();
        foreach (var i in before.Interfaces)
        {
            devices.TryAdd(i.Ref, i.Device);
        }

        return after.Interfaces.Any(i => !devices.TryGetValue(i.Ref, out var d) || !string.Equals(d, i.Device, StringComparison.Ordinal));
    }

    /// <summary>The last plan for a set of bridges, and what it was made from (the request, and its fingerprint).</summary>
    private sealed record Memo(RequestFingerprint Request, NodeFacts Facts, NodePlan Plan, NodeRequest Source);

    /// <summary>The bridges to read: those of the request's scope, else every bridge a network names.</summary>
    private static string[] Bridges(NodeRequest request) => request.ScopeBridges is { } scope
        ? [.. scope.Order(StringComparer.Ordinal)]
        : [.. request.Networks.Select(n => n.Spec?.Bridge).Where(b => !string.IsNullOrEmpty(b)).Select(b => b!).Distinct(StringComparer.Ordinal)];
}
