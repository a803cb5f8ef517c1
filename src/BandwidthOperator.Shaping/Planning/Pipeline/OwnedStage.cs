using BandwidthOperator.Shaping.Ownership;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// What of the observed kernel is ours to change or remove (<see cref="KernelOwnership"/>): per planned
/// bridge, per bridge no network names (pruned), and the orphaned IFB devices. Pure.
/// </summary>
internal static class OwnedStage
{
    /// <summary>A planned bridge: the previous layout's tree on it, its IFBs and all on them, its ports' objects of ours.</summary>
    public static List<TcObject> OfBridge(string bridge, (string Inbound, string Outbound) ifbs, IReadOnlyList<TcObject> legacyRoot, KernelIndex kernel)
    {
        var owned = new List<TcObject>(legacyRoot.Count + kernel.On(ifbs.Inbound).Count + kernel.On(ifbs.Outbound).Count + (kernel.PortsOf(bridge).Count * 3) + 2);
        owned.AddRange(legacyRoot);
        foreach (var ifb in new[] { ifbs.Inbound, ifbs.Outbound })
        {
            if (kernel.Facts.Devices.ContainsKey(ifb))
            {
                owned.Add(new IfbLink(ifb));
                owned.AddRange(kernel.On(ifb));
            }
        }

        AddPorts(bridge, kernel, owned);
        return owned;
    }

    /// <summary>A bridge no network names: the previous layout's tree and its ports' objects of ours (its IFBs go as orphans).</summary>
    public static List<TcObject> OfUnnamedBridge(string bridge, KernelIndex kernel)
    {
        var owned = new List<TcObject>(KernelOwnership.LegacyRootTree(kernel.On(bridge)));
        AddPorts(bridge, kernel, owned);
        return owned;
    }

    /// <summary>Our IFB devices that no planned bridge uses (<see cref="KernelOwnership.RemovesOrphanIfb"/>).</summary>
    public static List<TcObject> OrphanIfbs(NodeRequest request, NetworkTable networks, KernelIndex kernel, IReadOnlySet<string> managedIfbs)
    {
        var owned = new List<TcObject>();
        foreach (var dev in kernel.Facts.Devices.Values)
        {
            if (!managedIfbs.Contains(dev.Name)
                && KernelOwnership.IsOurIfb(dev.Name)
                && KernelOwnership.RemovesOrphanIfb(dev.Name, kernel.ByIndex, networks.BridgeOwner.ContainsKey, networks.ProtectedBridges, request.PruneUnnamedBridges, b => request.InScope(b)))
            {
                owned.Add(new IfbLink(dev.Name));
            }
        }

        return owned;
    }

    private static void AddPorts(string bridge, KernelIndex kernel, List<TcObject> owned)
    {
        foreach (var dev in kernel.PortsOf(bridge))
        {
            var objects = kernel.On(dev.Name);
            if (objects.Count > 0)
            {
                owned.AddRange(KernelOwnership.PortObjects(dev.Name, objects, kernel.ForeignIngressFilter(dev.Name)));
            }

            var ifb = DeviceLimits.IfbName(dev.IfIndex);
            if (kernel.Facts.Devices.ContainsKey(ifb))
            {
                owned.Add(new IfbLink(ifb));
                owned.AddRange(kernel.On(ifb));
            }
        }
    }
}
