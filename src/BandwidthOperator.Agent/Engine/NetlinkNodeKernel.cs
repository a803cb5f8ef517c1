using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Agent.Engine;

/// <summary>The kernel over rtnetlink (<see cref="TcKernel"/>), in the current or a named network namespace.</summary>
public sealed class NetlinkNodeKernel : INodeKernel
{
    private readonly TcKernel _tc;
    private KernelFeatures? _features;

    private NetlinkNodeKernel(TcKernel tc) => _tc = tc;

    public TcKernel Tc => _tc;

    /// <summary>Opens rtnetlink in the current namespace, or in the one at <paramref name="netnsPath"/> (/var/run/netns/NAME).</summary>
    public static NetlinkNodeKernel Open(string? netnsPath = null) => new(TcKernel.Open(netnsPath));

    /// <summary>What the kernel offers (probed once, on a throw-away IFB device).</summary>
    public KernelFeatures Features => _features ??= _tc.Probe();

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges)
    {
        ArgumentNullException.ThrowIfNull(bridges);
        var links = _tc.Links();
        var byIndex = links.ToDictionary(l => l.Index);
        var devices = links.ToDictionary(
            l => l.Name,
            l => new DeviceFacts(l.Name, l.Index, l.IsBridge, l.MasterIndex is { } m && byIndex.TryGetValue(m, out var master) ? master.Name : null, l.Kind),
            StringComparer.Ordinal);

        var present = bridges.Where(devices.ContainsKey).ToList();
        var fdb = new Dictionary<string, IReadOnlyDictionary<MacAddress, string>>(StringComparer.Ordinal);
        foreach (var b in present.Where(b => devices[b].IsBridge))
        {
            fdb[b] = _tc.BridgeFdb(b);
        }

        // Every bridge (the previous layout's tree may sit on one), every port (our hooks), and our IFBs (the trees).
        var dump = new List<string>(present);
        dump.AddRange(devices.Values.Where(d => d.IsBridge && !present.Contains(d.Name)).Select(d => d.Name));
        dump.AddRange(devices.Values.Where(d => d.Master is { } m && devices.TryGetValue(m, out var master) && master.IsBridge).Select(d => d.Name));
        dump.AddRange(devices.Values.Where(d => DeviceLimits.IsOurIfb(d.Name) || ShapingTree.IsOurIfb(d.Name)).Select(d => d.Name));

        var leaf = bridges.Count == 0 ? "pfifo" : Features.BestLeafQdisc ?? "pfifo";
        return new NodeFacts(devices, fdb, leaf, dump.Count == 0 ? TcSnapshot.Empty : _tc.Dump(dump.Distinct(StringComparer.Ordinal)));
    }

    public KernelApplyResult Apply(IReadOnlyList<TcOperation> operations)
    {
        var r = _tc.Apply(operations);
        return new KernelApplyResult(r.Succeeded, r.KernelWrites, r.FailedOperation, r.Error?.Message);
    }

    public void Dispose() => _tc.Dispose();
}
