using System.Globalization;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// Linux traffic control over rtnetlink, in one network namespace: dump qdiscs, HTB classes and u32
/// filters with their counters, apply plans in batches (many requests per write, one ack each),
/// probe which kinds the kernel offers, and the link lookups the agent needs. Not thread-safe:
/// one caller at a time (the reconciler runs one key at a time).
/// </summary>
public sealed class TcKernel : IDisposable
{
    private const int BatchBytes = 60 * 1024;
    private const int BatchMessages = 1024;
    private const int ENODEV = 19;
    private const int EOPNOTSUPP = 95;

    private readonly RtnetlinkSocket _socket;
    private KernelFeatures? _features;

    private TcKernel(RtnetlinkSocket socket, string? netnsPath)
    {
        _socket = socket;
        NetnsPath = netnsPath;
    }

    /// <summary>The namespace this instance works in (null: the namespace of the process).</summary>
    public string? NetnsPath { get; }

    /// <summary>The netlink port of this instance's socket; <see cref="TcChange.SenderPortId"/> of the changes it makes.</summary>
    public uint PortId => _socket.PortId;

    /// <summary>Requests that changed (or tried to change) the kernel since this instance was opened.</summary>
    public long KernelWrites { get; private set; }

    /// <summary>
    /// Opens an rtnetlink socket in the current network namespace, or — like <c>ip netns exec NAME</c> —
    /// in the namespace at <paramref name="netnsPath"/> (<c>/var/run/netns/NAME</c> or just <c>NAME</c>).
    /// </summary>
    public static TcKernel Open(string? netnsPath = null) => new(RtnetlinkSocket.Open(netnsPath), netnsPath);

    /// <summary>All network devices: <c>ip -d link show</c>.</summary>
    public IReadOnlyList<NetworkLink> Links()
    {
        var messages = _socket.Dump(NetlinkNumbers.RTM_GETLINK, w => w.IfInfoMsg(0), "ip link show");
        var links = new List<NetworkLink>(messages.Count);
        foreach (var m in messages)
        {
            if (LinkCodec.DecodeLink(m) is { } link)
            {
                links.Add(link);
            }
        }

        return links;
    }

    /// <summary>The interface index of <paramref name="device"/> (<c>ip link show dev NAME</c>), or null.</summary>
    public int? IfIndex(string device) => Links().FirstOrDefault(l => l.Name == device)?.Index;

    /// <summary>The name of interface <paramref name="ifindex"/>, or null.</summary>
    public string? DeviceName(int ifindex) => Links().FirstOrDefault(l => l.Index == ifindex)?.Name;

    /// <summary>Whether <paramref name="device"/> exists (<c>ip link show dev NAME</c> succeeds).</summary>
    public bool DeviceExists(string device) => IfIndex(device) is not null;

    /// <summary>Whether <paramref name="device"/> exists and is a bridge (<c>ip -d link show dev NAME</c> says <c>bridge</c>).</summary>
    public bool IsBridge(string device) => Links().FirstOrDefault(l => l.Name == device)?.IsBridge == true;

    /// <summary><c>ip link add NAME type ifb &amp;&amp; ip link set NAME up</c>.</summary>
    public void CreateIfb(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Apply([new TcOperation(TcVerb.Add, new IfbLink(device))]).ThrowIfFailed();
    }

    /// <summary><c>ip link del NAME</c>.</summary>
    public void DeleteLink(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Apply([new TcOperation(TcVerb.Delete, new IfbLink(device))]).ThrowIfFailed();
    }

    /// <summary>
    /// The bridge port that <paramref name="mac"/> was learned on or configured for:
    /// <c>bridge fdb show br BRIDGE | grep MAC</c> → the port's name, or null when the bridge has no such entry.
    /// </summary>
    public string? FindBridgePort(string bridge, MacAddress mac)
    {
        var links = Links();
        var br = links.FirstOrDefault(l => l.Name == bridge);
        if (br is null)
        {
            return null;
        }

        var messages = _socket.Dump(NetlinkNumbers.RTM_GETNEIGH, w => w.NdMsg(NetlinkNumbers.AF_BRIDGE), $"bridge fdb show br {bridge}", bridge);
        foreach (var m in messages)
        {
            if (LinkCodec.DecodeFdb(m) is { } e && e.Mac == mac && e.Port != br.Index
                && (e.Master == br.Index || links.FirstOrDefault(l => l.Index == e.Port)?.MasterIndex == br.Index))
            {
                return links.FirstOrDefault(l => l.Index == e.Port)?.Name;
            }
        }

        return null;
    }

    /// <summary>
    /// The whole forwarding database of <paramref name="bridge"/> as MAC → port name
    /// (<c>bridge fdb show br BRIDGE</c>, entries of the bridge device itself left out); empty when there is no such bridge.
    /// </summary>
    public IReadOnlyDictionary<MacAddress, string> BridgeFdb(string bridge)
    {
        var links = Links();
        var br = links.FirstOrDefault(l => l.Name == bridge);
        var table = new Dictionary<MacAddress, string>();
        if (br is null)
        {
            return table;
        }

        var byIndex = links.ToDictionary(l => l.Index);
        var messages = _socket.Dump(NetlinkNumbers.RTM_GETNEIGH, w => w.NdMsg(NetlinkNumbers.AF_BRIDGE), $"bridge fdb show br {bridge}", bridge);
        foreach (var m in messages)
        {
            if (LinkCodec.DecodeFdb(m) is { } e && e.Port != br.Index && byIndex.TryGetValue(e.Port, out var port)
                && (e.Master == br.Index || port.MasterIndex == br.Index))
            {
                table.TryAdd(e.Mac, port.Name);
            }
        }

        return table;
    }

    /// <summary>
    /// What the kernel holds on <paramref name="devices"/>: <c>tc -s qdisc show dev D</c>,
    /// <c>tc -s class show dev D</c> (HTB classes) and <c>tc -s filter show dev D parent P</c> for each
    /// qdisc P (u32 hash tables, links and nodes, with handles), plus counters and the IFB devices
    /// among them. Missing devices are skipped. The kernel's default qdiscs (handle <c>0:</c>) are
    /// listed as <see cref="OtherQdiscOptions"/>; the root hash table 800: the kernel makes itself is
    /// not listed. Classes and filters of other kinds are named in <see cref="TcSnapshot.ForeignObjects"/>.
    /// </summary>
    public TcSnapshot Dump(IEnumerable<string> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        var links = Links();
        var index = new DeviceIndex(links.Select(l => KeyValuePair.Create(l.Name, l.Index)));
        var wanted = new Dictionary<int, NetworkLink>();
        foreach (var name in devices.Distinct(StringComparer.Ordinal))
        {
            if (links.FirstOrDefault(l => l.Name == name) is { } link)
            {
                wanted[link.Index] = link;
            }
        }

        var objects = new List<TcObject>();
        var counters = new Dictionary<TcObjectKey, TcCounters>();
        var foreign = new List<string>();
        if (wanted.Count == 0)
        {
            return new TcSnapshot(objects, counters, foreign);
        }

        void Add(TcObject o, TcMessage m)
        {
            objects.Add(o);
            if (TcStatsCodec.Decode(m) is { } c)
            {
                counters[o.Key] = c;
            }
        }

        var qdiscs = new List<Qdisc>();
        foreach (var raw in _socket.Dump(NetlinkNumbers.RTM_GETQDISC, w => w.TcMsg(0, 0, 0), "tc qdisc show"))
        {
            var m = TcMessage.Parse(raw);
            if (wanted.TryGetValue(m.IfIndex, out var link))
            {
                var q = QdiscCodec.Decode(m, link.Name);
                qdiscs.Add(q);
                Add(q, m);
            }
        }

        foreach (var link in wanted.Values.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            if (link.Kind == "ifb")
            {
                objects.Add(new IfbLink(link.Name));
            }

            foreach (var raw in _socket.Dump(NetlinkNumbers.RTM_GETTCLASS, w => w.TcMsg(link.Index, 0, 0), $"tc class show dev {link.Name}", link.Name))
            {
                var m = TcMessage.Parse(raw);
                if (m.IfIndex != link.Index)
                {
                    continue;
                }

                if (m.Kind == "htb")
                {
                    Add(HtbClassCodec.Decode(m, link.Name), m);
                }
                else if (m.Kind is not ("tbf" or "ingress" or "clsact"))
                {
                    // tbf's class for its inner qdisc (and the pseudo-classes of ingress/clsact) come with
                    // the qdisc; anything else (a foreign classful qdisc's classes) is reported.
                    foreign.Add($"class {m.Kind} {new TcHandle(m.Handle)} parent {new TcHandle(m.Parent)} dev {link.Name}");
                }
            }

            foreach (var q in qdiscs.Where(q => q.Device == link.Name))
            {
                foreach (var parent in FilterParents(q))
                {
                    DumpFilters(link, parent, index, Add, foreign);
                }
            }
        }

        return new TcSnapshot([.. objects.OrderBy(o => o.Key)], counters, foreign);
    }

    /// <summary>
    /// Applies a plan in order, as <c>tc -batch</c> would run the commands that
    /// <see cref="TcCommand.Render"/> prints: many requests per write (up to ~60 KiB), one ack each.
    /// Stops sending at the first failure and reports how many operations succeeded before it.
    /// </summary>
    public ApplyResult Apply(IReadOnlyList<TcOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var writer = new NetlinkWriter(BatchBytes + 8192);
        var pending = new List<(uint Sequence, int Index)>();
        var later = new List<TcKernelException>();
        var succeeded = 0;
        var writes = 0;
        TcKernelException? first = null;
        TcOperation? failedOp = null;
        DeviceIndex? devices = null;

        void Fail(TcKernelException e, TcOperation op)
        {
            if (first is null)
            {
                first = e;
                failedOp = op;
            }
            else
            {
                later.Add(e);
            }
        }

        void Flush()
        {
            if (pending.Count == 0)
            {
                return;
            }

            var acks = _socket.Transact(writer, pending.ConvertAll(p => p.Sequence), $"tc -batch ({pending.Count} requests)");
            writes += pending.Count;
            KernelWrites += pending.Count;
            foreach (var (seq, i) in pending)
            {
                var ack = acks[seq];
                if (ack.Ok)
                {
                    if (first is null)
                    {
                        succeeded++;
                    }
                }
                else
                {
                    Fail(new TcKernelException(TcOperationText.Describe(operations[i]), operations[i].Target.Device, ack.Errno, ack.KernelMessage), operations[i]);
                }
            }

            writer.Clear();
            pending.Clear();
        }

        for (var i = 0; i < operations.Count && first is null; i++)
        {
            var op = operations[i];
            ArgumentNullException.ThrowIfNull(op);
            var seq = _socket.NextSequence();
            try
            {
                if (op.Target is IfbLink ifb)
                {
                    if (op.Verb == TcVerb.Delete)
                    {
                        LinkCodec.EncodeDelete(writer, ifb.Device, seq);
                    }
                    else
                    {
                        LinkCodec.EncodeIfb(writer, ifb.Device, seq, create: op.Verb == TcVerb.Add);
                    }
                }
                else
                {
                    devices ??= LinkIndex();
                    if (NeedsUnknownDevice(op, devices) && pending.Count > 0)
                    {
                        // An earlier operation of this batch may create the device (an IFB): send what we have, then look again.
                        Flush();
                        if (first is not null)
                        {
                            break;
                        }

                        devices = LinkIndex();
                    }

                    var ifindex = devices.IndexOf(op.Target.Device)
                        ?? throw new TcKernelException(TcOperationText.Describe(op), op.Target.Device, ENODEV, $"no device {op.Target.Device}");
                    switch (op.Target)
                    {
                        case Qdisc q:
                            QdiscCodec.Encode(writer, op.Verb, q, ifindex, seq);
                            break;
                        case HtbClass c:
                            HtbClassCodec.Encode(writer, op.Verb, c, ifindex, seq);
                            break;
                        case U32Filter f:
                            U32FilterCodec.Encode(writer, op.Verb, f, ifindex, seq, devices);
                            break;
                        default:
                            throw new NotSupportedException($"cannot apply {op.Target.GetType().Name}");
                    }
                }
            }
            catch (TcKernelException e)
            {
                writer.CancelMessage();
                Flush();
                Fail(new TcKernelException(TcOperationText.Describe(op), op.Target.Device, e.Errno, e.KernelMessage), op);
                break;
            }
            catch (NotSupportedException e)
            {
                writer.CancelMessage();
                Flush();
                Fail(new TcKernelException(TcOperationText.Describe(op), op.Target.Device, EOPNOTSUPP, e.Message), op);
                break;
            }

            pending.Add((seq, i));
            if (writer.Length >= BatchBytes || pending.Count >= BatchMessages)
            {
                Flush();
            }
        }

        Flush();
        return new ApplyResult(succeeded, writes, first, failedOp, later);
    }

    /// <summary>
    /// Which qdiscs, the u32 classifier and the mirred action the kernel offers, found by creating
    /// each on a throw-away IFB device (<c>ip link add bwprobeXXXXXX type ifb; tc qdisc add dev … root handle 1: KIND; tc qdisc del …</c>),
    /// which is deleted afterwards. The result is cached for the life of this instance.
    /// </summary>
    public KernelFeatures Probe()
    {
        if (_features is not null)
        {
            return _features;
        }

        var dev = "bwprobe" + Random.Shared.Next(0, 0xFFFFFF).ToString("x6", CultureInfo.InvariantCulture);
        if (!Apply([new TcOperation(TcVerb.Add, new IfbLink(dev))]).Ok)
        {
            return _features = new KernelFeatures(false, false, false, false, false, false, false, false, false, false, false);
        }

        try
        {
            var root = TcHandle.Of(1, 0);
            bool Try(params TcOperation[] ops) => Apply(ops).Ok;
            bool Qdisc(QdiscOptions options, TcHandle handle, TcHandle parent)
            {
                var q = new Qdisc(dev, handle, parent, options);
                var ok = Try(new TcOperation(TcVerb.Add, q));
                if (ok)
                {
                    Try(new TcOperation(TcVerb.Delete, q));
                }

                return ok;
            }

            var htb = Qdisc(new HtbQdiscOptions(2), root, TcHandle.Root);
            var tbf = Qdisc(new TbfQdiscOptions(new BitRate(1_000_000), new ByteSize(10_000), new ByteSize(10_000)), root, TcHandle.Root);
            var pfifo = Qdisc(FifoQdiscOptions.Pfifo(100), root, TcHandle.Root);
            var bfifo = Qdisc(new FifoQdiscOptions("bfifo", 100_000), root, TcHandle.Root);
            var sfq = Qdisc(new SfqQdiscOptions(), root, TcHandle.Root);
            var fqCodel = Qdisc(new FqCodelQdiscOptions(), root, TcHandle.Root);
            var ingressHandle = TcHandle.Of(0xFFFF, 0);
            var ingress = Qdisc(new IngressQdiscOptions(), ingressHandle, TcHandle.Ingress);
            var clsact = Qdisc(new ClsactQdiscOptions(), ingressHandle, TcHandle.Ingress);

            var u32 = false;
            var mirred = false;
            var match = new U32Key(0, 0, 0);
            if (htb)
            {
                var q = new Qdisc(dev, root, TcHandle.Root, new HtbQdiscOptions(2));
                u32 = Try(
                    new TcOperation(TcVerb.Add, q),
                    new TcOperation(TcVerb.Add, new U32Filter(dev, root, 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [match], FlowId: TcHandle.Of(1, 2))));
                Try(new TcOperation(TcVerb.Delete, q));
            }

            if (ingress && u32)
            {
                var q = new Qdisc(dev, ingressHandle, TcHandle.Ingress, new IngressQdiscOptions());
                mirred = Try(
                    new TcOperation(TcVerb.Add, q),
                    new TcOperation(TcVerb.Add, new U32Filter(dev, ingressHandle, 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 1), [match], RedirectTo: dev)));
                Try(new TcOperation(TcVerb.Delete, q));
            }

            return _features = new KernelFeatures(true, htb, tbf, pfifo, bfifo, sfq, fqCodel, ingress, clsact, u32, mirred);
        }
        finally
        {
            Apply([new TcOperation(TcVerb.Delete, new IfbLink(dev))]);
        }
    }

    public void Dispose() => _socket.Dispose();

    internal DeviceIndex LinkIndex() => new(Links().Select(l => KeyValuePair.Create(l.Name, l.Index)));

    private static bool NeedsUnknownDevice(TcOperation op, DeviceIndex devices) =>
        devices.IndexOf(op.Target.Device) is null
        || (op.Target is U32Filter { RedirectTo: { } target } && devices.IndexOf(target) is null);

    private static IEnumerable<TcHandle> FilterParents(Qdisc q)
    {
        switch (q.Options)
        {
            case ClsactQdiscOptions:
                yield return TcHandle.Of(0xFFFF, 0xFFF2);
                yield return TcHandle.Of(0xFFFF, 0xFFF3);
                break;
            case FifoQdiscOptions or TbfQdiscOptions or SfqQdiscOptions or FqCodelQdiscOptions:
                break;
            default:
                if (q.Handle.Major != 0)
                {
                    yield return TcHandle.Of(q.Handle.Major, 0);
                }

                break;
        }
    }

    private void DumpFilters(NetworkLink link, TcHandle parent, DeviceIndex index, Action<TcObject, TcMessage> add, List<string> foreign)
    {
        var messages = _socket.Dump(
            NetlinkNumbers.RTM_GETTFILTER,
            w => w.TcMsg(link.Index, 0, parent.Value),
            $"tc filter show dev {link.Name} parent {parent}",
            link.Name);
        foreach (var raw in messages)
        {
            var m = TcMessage.Parse(raw);
            if (m.IfIndex != link.Index || m.Handle == 0)
            {
                continue;
            }

            var chain = m.Attributes.U32(Tca.TCA_CHAIN) ?? 0;
            if (m.Kind != "u32" || chain != 0)
            {
                foreign.Add($"filter {m.Kind} parent {new TcHandle(m.Parent)} prio {m.Priority} chain {chain} handle 0x{m.Handle:x} dev {link.Name}");
                continue;
            }

            if (U32FilterCodec.Decode(m, link.Name, index) is { } f)
            {
                add(f, m);
            }
        }
    }
}
