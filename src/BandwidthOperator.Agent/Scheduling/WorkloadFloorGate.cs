using BandwidthOperator.Agent.Watching;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;

namespace BandwidthOperator.Agent.Scheduling;

/// <summary>
/// Pure: which target-bound InterfaceBandwidths are refused (<see cref="ConditionReasons.FloorNotRequested"/>)
/// because their workload did not request the floors they claim on schedulable networks. Floors of every
/// InterfaceBandwidth naming the same workload add up per extended resource (two interfaces of one VM on one
/// network need the sum); when the workload requests less, each of them that claims on a short resource is
/// refused with <see cref="FloorRequestCheck.Problem"/>'s message. Directions that do not opt in, and
/// networks that cannot be advertised, ask nothing.
/// </summary>
public static class WorkloadFloorGate
{
    /// <returns><c>namespace/name</c> → the refusal message.</returns>
    public static IReadOnlyDictionary<string, string> Refusals(IEnumerable<WorkloadFloorClaim> claims, IReadOnlyList<BridgeNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(networks);
        var byName = networks.Where(n => n.Metadata?.Name is not null).ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
        var refusals = new Dictionary<string, string>(StringComparer.Ordinal);
        var groups = claims.GroupBy(c => (c.Item.Metadata?.NamespaceProperty ?? string.Empty, c.WorkloadKind, c.WorkloadName));
        foreach (var group in groups)
        {
            var members = group.Select(c => (Claim: c, Needs: Needs(c.Item, byName))).ToList();
            var claimed = new Dictionary<string, BitRate>(StringComparer.Ordinal);
            foreach (var (resource, floor) in members.SelectMany(m => m.Needs))
            {
                claimed[resource] = claimed.GetValueOrDefault(resource) + floor;
            }

            var requested = group.First().Requested;
            if (FloorRequestCheck.Problem(group.Key.WorkloadKind, group.Key.WorkloadName, claimed, requested) is not { } problem)
            {
                continue;
            }

            var shortOf = claimed.Where(kv => requested.GetValueOrDefault(kv.Key) < kv.Value).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var (claim, needs) in members.Where(m => m.Needs.Any(n => shortOf.Contains(n.Resource))))
            {
                refusals[ObjectKey.Of(claim.Item)] = $"InterfaceBandwidth {ObjectKey.Of(claim.Item)}: {problem}";
            }
        }

        return refusals;
    }

    private static List<(string Resource, BitRate Floor)> Needs(InterfaceBandwidth item, Dictionary<string, BridgeNetwork> networks)
    {
        var needs = new List<(string, BitRate)>();
        var name = item.Spec?.Network ?? string.Empty;
        if (!networks.TryGetValue(name, out var network) || network.Spec is null || FloorResourceName.Problem(name) is not null)
        {
            return needs;
        }

        Add(network.Spec.Inbound, item.Spec?.Inbound?.Floor, FloorDirection.Inbound);
        Add(network.Spec.Outbound, item.Spec?.Outbound?.Floor, FloorDirection.Outbound);
        return needs;

        void Add(NetworkBandwidth? capacity, string? floor, FloorDirection direction)
        {
            if (capacity?.Schedulable == true && BitRate.TryParse(floor, out var rate, out _) && rate > BitRate.Zero)
            {
                needs.Add((FloorResourceName.For(name, direction), rate));
            }
        }
    }
}
