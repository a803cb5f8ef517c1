using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Engine;

/// <summary>
/// The kernel over rtnetlink (<see cref="TcKernel"/>), in the current or a named network namespace. Every
/// read asks the kernel (one link snapshot per read, shared by the FDB and tc dumps); the agent keeps a
/// cached view over it (<see cref="CachingNodeKernel"/>, docs/architecture.md "The kernel view").
/// </summary>
public sealed class NetlinkNodeKernel : IKernelParts, IClassCounterReader
{
    private readonly TcKernel _tc;
    private KernelFeatures? _features;
    private LinkSnapshot? _links;

    private NetlinkNodeKernel(TcKernel tc) => _tc = tc;

    public TcKernel Tc => _tc;

    /// <summary>Opens rtnetlink in the current namespace, or in the one at <paramref name="netnsPath"/> (/var/run/netns/NAME).</summary>
    public static NetlinkNodeKernel Open(string? netnsPath = null) => new(TcKernel.Open(netnsPath));

    /// <summary>What the kernel offers (probed once, on a throw-away IFB device).</summary>
    public KernelFeatures Features => _features ??= _tc.Probe();

    public uint? PortId => _tc.PortId;

    public string LeafQdiscKind => Features.BestLeafQdisc ?? "pfifo";

    public long KernelReads => _tc.KernelReads;

    public long KernelWrites => _tc.KernelWrites;

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges) => ReadFacts(bridges, wholeNode: true);

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges, bool wholeNode) => NodeFactsReader.Read(this, bridges, wholeNode);

    public IReadOnlyDictionary<string, DeviceFacts> ReadDevices()
    {
        var links = _links = _tc.ReadLinks();
        return links.Links.ToDictionary(
            l => l.Name,
            l => new DeviceFacts(l.Name, l.Index, l.IsBridge, l.MasterIndex is { } m ? links.At(m)?.Name : null, l.Kind),
            StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<MacAddress, string> ReadFdb(string bridge) => _tc.BridgeFdb(bridge, _links ??= _tc.ReadLinks());

    public TcSnapshot ReadTc(IReadOnlyCollection<string> devices) => _tc.Dump(devices, _links ??= _tc.ReadLinks());

    /// <summary>
    /// The classes of <paramref name="devices"/> with counters: a fresh link dump (an IFB may have been made since the
    /// last read; the cached links of a reconcile are not replaced), then one class dump per device.
    /// </summary>
    public TcSnapshot ReadClassCounters(IReadOnlyCollection<string> devices) => _tc.DumpClasses(devices, _tc.ReadLinks());

    public TcSnapshot ReadObjects(IReadOnlyList<TcObject> objects) => _tc.Get(objects, _links ??= _tc.ReadLinks());

    public KernelApplyResult Apply(IReadOnlyList<TcOperation> operations)
    {
        var r = _tc.Apply(operations);
        return new KernelApplyResult(r.Succeeded, r.KernelWrites, r.FailedOperation, r.Error?.Message);
    }

    /// <summary>Applies with <c>NLM_F_ECHO</c> (<see cref="TcKernel.Apply(IReadOnlyList{TcOperation}, LinkSnapshot?, bool)"/>), against the links of the last <see cref="ReadDevices"/> when <paramref name="knownDevices"/>.</summary>
    public KernelApplyResult ApplyReadingBack(IReadOnlyList<TcOperation> operations, bool knownDevices, out TcSnapshot? echoed)
    {
        var r = _tc.Apply(operations, knownDevices ? _links : null, echo: true);
        echoed = r.Echoed;
        return new KernelApplyResult(r.Succeeded, r.KernelWrites, r.FailedOperation, r.Error?.Message);
    }

    public void Dispose() => _tc.Dispose();
}
