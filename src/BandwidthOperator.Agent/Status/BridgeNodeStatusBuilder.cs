using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Ports;

namespace BandwidthOperator.Agent.Status;

/// <summary>Turns a bridge's outcome into this node's entry of <c>BridgeNetwork.status.nodes</c>, and compares entries.</summary>
public static class BridgeNodeStatusBuilder
{
    public static BridgeNetworkNodeStatus Build(string nodeName, BridgeOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new BridgeNetworkNodeStatus
        {
            NodeName = nodeName,
            Ready = outcome.Ready,
            FloorSum = outcome.FloorSum.ToString(),
            Interfaces = outcome.Interfaces,
            LeafQdisc = outcome.LeafQdisc,
            Ports = [.. outcome.Ports.Select(p => new BridgePortStatus { Name = p.Name, Role = PortRoles.Name(p.Role), Hooked = p.Hooked })],
            Message = outcome.Message,
        };
    }

    /// <summary>This node's entry in <paramref name="network"/>'s status, if any.</summary>
    public static BridgeNetworkNodeStatus? Current(BridgeNetwork? network, string nodeName) =>
        network?.Status?.Nodes?.FirstOrDefault(n => n.NodeName == nodeName);

    public static bool SameAs(BridgeNetworkNodeStatus? a, BridgeNetworkNodeStatus? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return a.NodeName == b.NodeName
            && a.Ready == b.Ready
            && SameQuantity(a.FloorSum, b.FloorSum)
            && a.Interfaces == b.Interfaces
            && a.LeafQdisc == b.LeafQdisc
            && SamePorts(a.Ports, b.Ports)
            && (a.Message ?? string.Empty) == (b.Message ?? string.Empty);
    }

    private static bool SamePorts(IList<BridgePortStatus>? a, IList<BridgePortStatus>? b)
    {
        var x = a ?? [];
        var y = b ?? [];
        return x.Count == y.Count && x.Zip(y).All(p => p.First.Name == p.Second.Name && p.First.Role == p.Second.Role && p.First.Hooked == p.Second.Hooked);
    }

    private static bool SameQuantity(string? a, string? b) =>
        a == b || (Api.Quantities.BitRate.TryParse(a, out var x, out _) && Api.Quantities.BitRate.TryParse(b, out var y, out _) && x == y);
}
