using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Agent.Engine;

/// <summary>Which devices' tc objects a bridge's plan needs: the bridge, its ports, its IFB trees, and the previous layout's per-port IFBs.</summary>
public static class BridgeDevices
{
    /// <summary>Name → ifindex of what <paramref name="bridge"/> needs dumped; empty when there is no such device.</summary>
    public static IReadOnlyDictionary<string, int> Of(string bridge, IReadOnlyDictionary<string, DeviceFacts> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var needed = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!devices.TryGetValue(bridge, out var br))
        {
            return needed;
        }

        void Add(string name)
        {
            if (devices.TryGetValue(name, out var d))
            {
                needed[d.Name] = d.IfIndex;
            }
        }

        Add(bridge);
        Add(ShapingTree.IfbName(Direction.Inbound, br.IfIndex));
        Add(ShapingTree.IfbName(Direction.Outbound, br.IfIndex));
        foreach (var port in devices.Values)
        {
            if (port.Master == bridge)
            {
                Add(port.Name);
                Add(DeviceLimits.IfbName(port.IfIndex));
            }
        }

        return needed;
    }

    /// <summary>The bridges a read covers: those named (that exist), and with <paramref name="wholeNode"/> every bridge of the node.</summary>
    public static IReadOnlyList<string> Scope(IReadOnlyCollection<string> bridges, IReadOnlyDictionary<string, DeviceFacts> devices, bool wholeNode)
    {
        ArgumentNullException.ThrowIfNull(bridges);
        ArgumentNullException.ThrowIfNull(devices);
        var scope = new SortedSet<string>(bridges.Where(devices.ContainsKey), StringComparer.Ordinal);
        if (wholeNode)
        {
            scope.UnionWith(devices.Values.Where(d => d.IsBridge).Select(d => d.Name));
        }

        return [.. scope];
    }
}
