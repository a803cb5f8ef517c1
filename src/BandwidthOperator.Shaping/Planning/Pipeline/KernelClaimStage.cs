using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Allocation;
using BandwidthOperator.Shaping.Ownership;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>Stage 3a, the kernel's claims on one bridge: which class each MAC has, at which rate and ceiling. Pure.</summary>
internal static class KernelClaimStage
{
    public static KernelClaims Read(string bridge, (string Inbound, string Outbound) ifbs, KernelIndex kernel)
    {
        var legacy = KernelOwnership.LegacyRootTree(kernel.On(bridge));
        return new KernelClaims(legacy, Read(Direction.Inbound, kernel.On(ifbs.Inbound), legacy), Read(Direction.Outbound, kernel.On(ifbs.Outbound), []));
    }

    private static DirectionClaims Read(Direction direction, IReadOnlyList<TcObject> tree, IReadOnlyList<TcObject> legacy)
    {
        var classOfMac = new Dictionary<MacAddress, ushort>(tree.Count / 3);
        var rate = new Dictionary<ushort, BitRate>(tree.Count / 3);
        var ceil = new Dictionary<ushort, BitRate>(tree.Count / 3);
        Collect(direction, tree, classOfMac, rate, ceil);
        Collect(direction, legacy, classOfMac, rate, ceil);
        return new DirectionClaims(classOfMac, rate, ceil);
    }

    private static void Collect(Direction direction, IReadOnlyList<TcObject> objects, Dictionary<MacAddress, ushort> classOfMac, Dictionary<ushort, BitRate> rate, Dictionary<ushort, BitRate> ceil)
    {
        foreach (var o in objects)
        {
            if (o is U32Filter f && f.FlowId is { Major: BridgeTree.RootMajor } flow && ClassIdAllocator.IsValid(flow.Minor) && ShapingTree.MacOf(f, direction) is { } mac)
            {
                classOfMac.TryAdd(mac, flow.Minor);
            }
            else if (o is HtbClass c && c.Handle.Major == BridgeTree.RootMajor && ClassIdAllocator.IsValid(c.Handle.Minor))
            {
                ceil.TryAdd(c.Handle.Minor, c.Ceil);
                rate.TryAdd(c.Handle.Minor, c.Rate);
            }
        }
    }
}
