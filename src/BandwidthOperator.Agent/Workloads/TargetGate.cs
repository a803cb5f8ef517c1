using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Agent.Workloads;

/// <summary>
/// Pure: decides, before the planner, which InterfaceBandwidths this node shapes and for which MAC.
/// <list type="bullet">
/// <item>A raw claim (<c>spec.macAddress</c>) stands only in a namespace its BridgeNetwork's
/// <c>rawMacNamespaceSelector</c> selects (absent: none), and never on a MAC that a workload of another
/// namespace carries.</item>
/// <item>A target-bound resource is placed here when its workload runs here or migrates here; the copy
/// handed to the planner carries this node, the workload's own MAC and this node's class ID.</item>
/// <item>A target whose workload is here but cannot be resolved (interface not reported, KubeVirt not
/// installed) gets a refusal; one whose workload left gets released by the node that reported it.</item>
/// </list>
/// </summary>
public static class TargetGate
{
    public static TargetGateResult Evaluate(
        string node,
        IReadOnlyList<InterfaceBandwidth> rawClaims,
        IReadOnlyList<InterfaceBandwidth> targeted,
        IReadOnlyList<BridgeNetwork> networks,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? namespaceLabels,
        WorkloadView workloads)
    {
        ArgumentNullException.ThrowIfNull(rawClaims);
        ArgumentNullException.ThrowIfNull(targeted);
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(workloads);
        var toPlan = new List<InterfaceBandwidth>();
        var refused = new List<InterfaceOutcome>();
        var placements = new Dictionary<string, TargetPlacement>(StringComparer.Ordinal);
        var released = new List<InterfaceBandwidth>();
        var byName = networks.Where(n => n.Metadata?.Name is not null).ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);

        foreach (var claim in rawClaims)
        {
            if (claim.Spec?.Target is not null || !byName.TryGetValue(claim.Spec?.Network ?? string.Empty, out var network))
            {
                toPlan.Add(claim); // invalid (target and nodeName) or unknown network: the planner says so
                continue;
            }

            var ns = claim.Metadata.NamespaceProperty ?? string.Empty;
            var name = $"InterfaceBandwidth {ns}/{claim.Metadata.Name}";
            var selector = network.Spec?.RawMacNamespaceSelector;
            var labels = namespaceLabels is not null && namespaceLabels.TryGetValue(ns, out var l) ? l : new Dictionary<string, string>();
            if (selector is null || !LabelSelectorMatcher.Matches(selector, labels))
            {
                refused.Add(Refusal(claim, WorkloadReasons.RawMacNotAllowed,
                    $"{name}: a MAC named by hand (spec.macAddress {claim.Spec!.MacAddress}) is not allowed from namespace {ns} on BridgeNetwork {network.Metadata.Name} "
                    + (selector is null ? "(it has no spec.rawMacNamespaceSelector)" : "(its spec.rawMacNamespaceSelector does not select it)")
                    + "; name the workload with spec.target instead"));
                continue;
            }

            if (MacAddress.TryParse(claim.Spec!.MacAddress, out var mac, out _)
                && workloads.MacOwners.FirstOrDefault(o => o.Mac == mac && o.Namespace != ns) is { } owner)
            {
                refused.Add(Refusal(claim, WorkloadReasons.MacOwnedByOtherNamespace,
                    $"{name}: spec.macAddress {mac} is carried by {owner.Owner} of namespace {owner.Namespace}; a claim from namespace {ns} may not shape it"));
                continue;
            }

            toPlan.Add(claim);
        }

        foreach (var item in targeted)
        {
            var target = item.Spec?.Target;
            if (target is null)
            {
                continue;
            }

            var key = ObjectKey.Of(item);
            var held = item.Status?.NodeName == node || item.Status?.Nodes?.Any(e => e.NodeName == node) == true;
            var ns = item.Metadata.NamespaceProperty ?? string.Empty;
            var name = $"InterfaceBandwidth {ns}/{item.Metadata.Name}";
            WorkloadPlacement? placement = null;
            if (target.Kind == InterfaceTarget.VirtualMachineInstanceKind)
            {
                if (workloads.KubeVirtNotInstalled)
                {
                    // Every agent knows this alike; only the one that held it, or any while nobody does, says so.
                    if (held || string.IsNullOrEmpty(item.Status?.NodeName))
                    {
                        refused.Add(Refusal(item, WorkloadReasons.KubeVirtNotInstalled,
                            $"{name}: spec.target names VirtualMachineInstance {target.Name}, but the cluster does not serve kubevirt.io/v1 virtualmachineinstances (KubeVirt is not installed)"));
                    }

                    if (held)
                    {
                        released.Add(item);
                    }

                    continue;
                }

                if (workloads.Vmi(ObjectKey.Of(ns, target.Name)) is { } vmi)
                {
                    placement = VmiResolver.Resolve(vmi, target.Interface);
                }
            }
            else if (workloads.Pod(ObjectKey.Of(ns, target.Name)) is { } pod)
            {
                placement = PodResolver.Resolve(pod, target.Interface);
            }

            var role = placement?.RoleOf(node);
            if (placement is null || role is null)
            {
                if (held)
                {
                    released.Add(item);
                }

                continue;
            }

            if (placement.Mac is not { } resolved)
            {
                if (role is WorkloadRole.Running or WorkloadRole.MigrationSource)
                {
                    refused.Add(Refusal(item, placement.Reason!, $"{name}: {placement.Problem}"));
                }

                if (held)
                {
                    released.Add(item);
                }

                continue;
            }

            placements[key] = new TargetPlacement(item, role.Value, resolved);
            toPlan.Add(Placed(item, node, resolved));
        }

        return new TargetGateResult(toPlan, refused, placements, released);
    }

    /// <summary>The copy the planner sees: this node, the workload's MAC, this node's class ID; the rest as stored.</summary>
    public static InterfaceBandwidth Placed(InterfaceBandwidth item, string node, MacAddress mac)
    {
        ArgumentNullException.ThrowIfNull(item);
        var own = item.Status?.Nodes?.FirstOrDefault(e => e.NodeName == node);
        return new InterfaceBandwidth
        {
            Metadata = item.Metadata,
            Spec = new InterfaceBandwidthSpec
            {
                Network = item.Spec.Network,
                NodeName = node,
                MacAddress = mac.ToString(),
                Inbound = item.Spec.Inbound,
                Outbound = item.Spec.Outbound,
            },
            Status = new InterfaceBandwidthStatus
            {
                ClassId = own?.ClassId,
                OutboundClassId = own?.OutboundClassId,
                ObservedGeneration = item.Status?.ObservedGeneration,
                Conditions = item.Status?.Conditions,
            },
        };
    }

    private static InterfaceOutcome Refusal(InterfaceBandwidth item, string reason, string message) =>
        new(new ObjectRef(InterfaceBandwidth.KubeKind, item.Metadata.NamespaceProperty, item.Metadata.Name),
            item.Spec?.Network, null, null, null, null,
            new ConditionOutcome(false, reason, message), new ConditionOutcome(false, reason, message), item.Metadata.Generation ?? 0);
}
