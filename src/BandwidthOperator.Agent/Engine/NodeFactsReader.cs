using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Engine;

/// <summary>
/// Puts the parts of the kernel together as the planner's <see cref="NodeFacts"/>, reading every part
/// (the uncached path, <see cref="NetlinkNodeKernel"/>): one link dump, the FDB of each named bridge,
/// and one tc dump of the devices the covered bridges need (<see cref="BridgeDevices"/>).
/// </summary>
public static class NodeFactsReader
{
    public static NodeFacts Read(IKernelParts kernel, IReadOnlyCollection<string> bridges, bool wholeNode)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(bridges);
        var devices = kernel.ReadDevices();
        var fdb = new Dictionary<string, IReadOnlyDictionary<MacAddress, string>>(StringComparer.Ordinal);
        foreach (var b in bridges.Distinct(StringComparer.Ordinal).Where(b => devices.TryGetValue(b, out var d) && d.IsBridge))
        {
            fdb[b] = kernel.ReadFdb(b);
        }

        var dump = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in BridgeDevices.Scope(bridges, devices, wholeNode))
        {
            dump.UnionWith(BridgeDevices.Of(b, devices).Keys);
        }

        return new NodeFacts(devices, fdb, LeafKind(kernel, bridges), dump.Count == 0 ? TcSnapshot.Empty : kernel.ReadTc(dump));
    }

    /// <summary>The leaf qdisc to plan with: the best the kernel offers (no probe when there is no bridge to plan).</summary>
    public static string LeafKind(IKernelParts kernel, IReadOnlyCollection<string> bridges)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(bridges);
        return bridges.Count == 0 ? "pfifo" : kernel.LeafQdiscKind;
    }
}
