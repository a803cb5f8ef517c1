using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Agent.Engine;

/// <summary>
/// The engine the agent and the <c>plan</c>/<c>apply</c> commands share: read the kernel → plan → apply
/// → read back. When the kernel refuses an operation, the interfaces (and bridges) it concerned are
/// reported with <c>KernelError</c> and what was applied before it stays.
/// </summary>
public sealed class NodeConverger(INodeKernel kernel)
{
    private const int ReadBackAttempts = 3;
    private static readonly TimeSpan ReadBackPause = TimeSpan.FromMilliseconds(50);

    public NodePlan PlanOnly(NodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return NodePlanner.Plan(request, kernel.ReadFacts(Bridges(request)));
    }

    public ConvergeResult Converge(NodeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bridges = Bridges(request);
        var plan = NodePlanner.Plan(request, kernel.ReadFacts(bridges));
        if (plan.IsEmpty)
        {
            return new ConvergeResult(plan, null, plan.Interfaces, plan.Bridges, 0);
        }

        var applied = kernel.Apply(plan.Operations);
        var after = ReadBack(request, bridges, applied);

        // The node changed under the pass: a guest's MAC reached the bridge's forwarding database (or a
        // port came or went) between the first read and the read-back, so the plan was made from stale
        // facts and the read-back asks for per-interface objects the first plan could not know about.
        // That is not a failed apply: one more pass applies what the new facts ask for.
        if (applied.Succeeded && !after.IsEmpty && DevicesChanged(plan, after))
        {
            var again = kernel.Apply(after.Operations);
            plan = plan with { Operations = [.. plan.Operations, .. after.Operations] };
            applied = new KernelApplyResult(applied.Applied + again.Applied, applied.KernelWrites + again.KernelWrites, again.Failed, again.Error);
            after = ReadBack(request, bridges, applied);
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
    /// Reads the kernel again and plans: what is still to do after a pass (empty when the kernel now
    /// matches). A device the pass just made (an IFB) can take a moment to show every change, so a
    /// difference is read again a few times before it counts.
    /// </summary>
    private NodePlan ReadBack(NodeRequest request, string[] bridges, KernelApplyResult applied)
    {
        var after = NodePlanner.Plan(request, kernel.ReadFacts(bridges));
        for (var settle = 0; settle < ReadBackAttempts && applied.Succeeded && !after.IsEmpty; settle++)
        {
            Thread.Sleep(ReadBackPause);
            after = NodePlanner.Plan(request, kernel.ReadFacts(bridges));
        }

        return after;
    }

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

    /// <summary>The bridges to read: those of the request's scope, else every bridge a network names.</summary>
    private static string[] Bridges(NodeRequest request) => request.ScopeBridges is { } scope
        ? [.. scope.Order(StringComparer.Ordinal)]
        : [.. request.Networks.Select(n => n.Spec?.Bridge).Where(b => !string.IsNullOrEmpty(b)).Select(b => b!).Distinct(StringComparer.Ordinal)];
}
