using BandwidthOperator.Agent.Scheduling;
using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Agent.Workloads;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Planning;
using k8s.Models;

namespace BandwidthOperator.Agent.Reconcile;

public sealed partial class BridgeReconciler
{
    /// <summary>
    /// Target-bound floors on schedulable networks must have been requested by their workload
    /// (<see cref="WorkloadFloorGate"/>): those that were not leave the plan. Where the workload runs here, the
    /// resource is refused (<see cref="ConditionReasons.FloorNotRequested"/>, the message says what to add);
    /// a migration target only lets go (the source node says why).
    /// </summary>
    private TargetGateResult RequireRequestedFloors(TargetGateResult gate, IReadOnlyList<BridgeNetwork> networks)
    {
        if (gate.Placements.Count == 0 || !networks.Any(n => n.Spec?.Inbound?.Schedulable == true || n.Spec?.Outbound?.Schedulable == true))
        {
            return gate;
        }

        var view = _workloads.View();
        var claims = gate.Placements.Values.Select(p => Claim(p.Original, view)).ToList();
        var refusals = WorkloadFloorGate.Refusals(claims, networks);
        if (refusals.Count == 0)
        {
            return gate;
        }

        var refused = gate.Refused.ToList();
        var released = gate.Released.ToList();
        foreach (var (key, message) in refusals)
        {
            var placement = gate.Placements[key];
            var item = placement.Original;
            if (placement.ReportsStatus)
            {
                var why = new ConditionOutcome(false, ConditionReasons.FloorNotRequested, message);
                refused.Add(new InterfaceOutcome(new ObjectRef(InterfaceBandwidth.KubeKind, item.Metadata.NamespaceProperty, item.Metadata.Name),
                    item.Spec?.Network, null, null, null, null, why, why, item.Metadata.Generation ?? 0));
            }
            else
            {
                released.Add(item);
            }
        }

        return new TargetGateResult(
            [.. gate.ToPlan.Where(i => !refusals.ContainsKey(ObjectKey.Of(i)))],
            refused,
            gate.Placements.Where(kv => !refusals.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            released);
    }

    private static WorkloadFloorClaim Claim(InterfaceBandwidth item, WorkloadView view)
    {
        var target = item.Spec!.Target!;
        var key = ObjectKey.Of(item.Metadata.NamespaceProperty, target.Name);
        IReadOnlyDictionary<string, BitRate> requested;
        if (target.Kind == InterfaceTarget.VirtualMachineInstanceKind)
        {
            var resources = view.Vmi(key)?.Spec?.Domain?.Resources;
            requested = FloorRequestCheck.Requested([Pair(resources)]);
        }
        else
        {
            var containers = view.Pod(key)?.Spec?.Containers ?? [];
            requested = FloorRequestCheck.Requested(containers.Select(c => Pair(c.Resources)));
        }

        return new WorkloadFloorClaim(item, target.Kind, target.Name, requested);
    }

    private static (IDictionary<string, string>? Requests, IDictionary<string, string>? Limits) Pair(V1ResourceRequirements? resources) =>
        (Strings(resources?.Requests), Strings(resources?.Limits));

    private static Dictionary<string, string>? Strings(IDictionary<string, ResourceQuantity>? map) =>
        map?.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
}
