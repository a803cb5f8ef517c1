using System.Collections.Immutable;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;

namespace BandwidthOperator.Agent.Scheduling;

/// <summary>
/// Pure: the floor capacity a node advertises to the scheduler. For each BridgeNetwork that selects
/// the node and opts in per direction (<c>spec.inbound.schedulable</c>, <c>spec.outbound.schedulable</c>), the value is the direction's
/// <c>average</c> minus the floors of the node's raw-MAC InterfaceBandwidths on that network — guests
/// the scheduler cannot see (requested floors, admitted or still waiting: a waiting claim is not offered
/// to newcomers). Workloads that request the resource account for their own floors in the scheduler.
/// Never below zero.
/// </summary>
public static class FloorCapacity
{
    /// <param name="nodeLabels">The Node's labels; null when the Node does not exist (nothing is advertised).</param>
    /// <param name="isRawMac">Whether an InterfaceBandwidth claims its guest by MAC (not by a workload the scheduler places).</param>
    public static NodeFloorCapacity Compute(
        string node,
        IReadOnlyDictionary<string, string>? nodeLabels,
        IEnumerable<BridgeNetwork> networks,
        IEnumerable<InterfaceBandwidth> interfaces,
        Func<InterfaceBandwidth, bool> isRawMac)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(isRawMac);
        var resources = ImmutableSortedDictionary.CreateBuilder<string, BitRate>(StringComparer.Ordinal);
        var refusals = ImmutableArray.CreateBuilder<SchedulingRefusal>();
        if (nodeLabels is null)
        {
            return new(resources.ToImmutable(), refusals.ToImmutable());
        }

        var mine = interfaces.Where(i => i.Spec?.NodeName == node).ToList();
        foreach (var network in networks.OrderBy(n => n.Metadata?.Name, StringComparer.Ordinal))
        {
            var name = network.Metadata?.Name;
            var spec = network.Spec;
            if (string.IsNullOrEmpty(name) || spec is null
                || (spec.NodeSelector is not null && !LabelSelectorMatcher.Matches(spec.NodeSelector, nodeLabels)))
            {
                continue;
            }

            foreach (var direction in Directions(spec))
            {
                if (direction.Capacity?.Schedulable != true || !BitRate.TryParse(direction.Capacity.Average, out var average, out _))
                {
                    continue;
                }

                if (FloorResourceName.Problem(name) is { } problem)
                {
                    refusals.Add(new SchedulingRefusal(name, $"BridgeNetwork {name} is not advertised to the scheduler: {problem}"));
                    continue;
                }

                var raw = BitRate.Zero;
                foreach (var item in mine.Where(i => i.Spec!.Network == name && isRawMac(i)))
                {
                    if (BitRate.TryParse(direction.FloorOf(item), out var floor, out _))
                    {
                        raw += floor;
                    }
                }

                resources[FloorResourceName.For(name, direction.Direction)] = average - raw;
            }
        }

        return new(resources.ToImmutable(), refusals.Distinct().ToImmutableArray());
    }

    private static IEnumerable<DirectionCapacity> Directions(BridgeNetworkSpec spec)
    {
        yield return new(FloorDirection.Inbound, spec.Inbound, i => i.Spec?.Inbound?.Floor);
        yield return new(FloorDirection.Outbound, spec.Outbound, i => i.Spec?.Outbound?.Floor);
    }

    private sealed record DirectionCapacity(FloorDirection Direction, NetworkBandwidth? Capacity, Func<InterfaceBandwidth, string?> FloorOf);
}
