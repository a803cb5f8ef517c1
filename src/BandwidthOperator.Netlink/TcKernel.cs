using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Netlink.Codecs;
using BandwidthOperator.Netlink.Protocol;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Netlink;

/// <summary>
/// Linux traffic control over rtnetlink, in one network namespace. One socket, and one file per
/// concern: <see cref="LinkSnapshot"/> (the links, one dump per read), <see cref="BridgeFdbDump"/>
/// (forwarding databases), <see cref="TcDump"/> (qdiscs, HTB classes and u32 filters with counters),
/// <see cref="TcGet"/> (single objects read back),
/// <see cref="TcBatch"/> (plans applied in batches, many requests per write, one ack each) and
/// <see cref="TcProbe"/> (which kinds the kernel offers). Counts its kernel reads and writes
/// (docs/architecture.md, "The kernel view"). Not thread-safe: one caller at a time.
/// </summary>
public sealed class TcKernel : IDisposable
{
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

    /// <summary>Dumps (link, FDB, qdisc, class and filter) sent since this instance was opened.</summary>
    public long KernelReads => _socket.Reads;

    /// <summary>
    /// Opens an rtnetlink socket in the current network namespace, or — like <c>ip netns exec NAME</c> —
    /// in the namespace at <paramref name="netnsPath"/> (<c>/var/run/netns/NAME</c> or just <c>NAME</c>).
    /// </summary>
    public static TcKernel Open(string? netnsPath = null) => new(RtnetlinkSocket.Open(netnsPath), netnsPath);

    /// <summary>Every network device, from one dump: <c>ip -d link show</c>.</summary>
    public LinkSnapshot ReadLinks() => LinkSnapshot.Read(_socket);

    /// <summary>All network devices: <c>ip -d link show</c>.</summary>
    public IReadOnlyList<NetworkLink> Links() => ReadLinks().Links;

    /// <summary>The interface index of <paramref name="device"/> (<c>ip link show dev NAME</c>), or null.</summary>
    public int? IfIndex(string device) => ReadLinks().Find(device)?.Index;

    /// <summary>The name of interface <paramref name="ifindex"/>, or null.</summary>
    public string? DeviceName(int ifindex) => ReadLinks().At(ifindex)?.Name;

    /// <summary>Whether <paramref name="device"/> exists (<c>ip link show dev NAME</c> succeeds).</summary>
    public bool DeviceExists(string device) => IfIndex(device) is not null;

    /// <summary>Whether <paramref name="device"/> exists and is a bridge (<c>ip -d link show dev NAME</c> says <c>bridge</c>).</summary>
    public bool IsBridge(string device) => ReadLinks().Find(device)?.IsBridge == true;

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
    public string? FindBridgePort(string bridge, MacAddress mac) =>
        BridgeFdbDump.Read(_socket, bridge, ReadLinks()).Where(e => e.Mac == mac).Select(e => e.Port.Name).FirstOrDefault();

    /// <summary>
    /// The whole forwarding database of <paramref name="bridge"/> as MAC → port name
    /// (<c>bridge fdb show br BRIDGE</c>, entries of the bridge device itself left out); empty when there is no such bridge.
    /// Names are resolved against <paramref name="links"/> when given (no link dump), else a fresh one.
    /// </summary>
    public IReadOnlyDictionary<MacAddress, string> BridgeFdb(string bridge, LinkSnapshot? links = null)
    {
        var table = new Dictionary<MacAddress, string>();
        foreach (var (mac, port) in BridgeFdbDump.Read(_socket, bridge, links ?? ReadLinks()))
        {
            table.TryAdd(mac, port.Name);
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
    /// Names are resolved against <paramref name="links"/> when given (no link dump), else a fresh one.
    /// </summary>
    public TcSnapshot Dump(IEnumerable<string> devices, LinkSnapshot? links = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return TcDump.Read(_socket, links ?? ReadLinks(), devices);
    }

    /// <summary>
    /// Only the HTB classes on <paramref name="devices"/> with their counters (<c>tc -s class show dev D</c>, one
    /// class dump per device; no qdisc or filter dump). Missing devices are skipped. Names are resolved against
    /// <paramref name="links"/> when given, else a fresh link dump.
    /// </summary>
    public TcSnapshot DumpClasses(IEnumerable<string> devices, LinkSnapshot? links = null)
    {
        ArgumentNullException.ThrowIfNull(devices);
        return TcDump.ReadClasses(_socket, links ?? ReadLinks(), devices);
    }

    /// <summary>
    /// Reads back <paramref name="objects"/> (qdiscs, HTB classes, u32 filters) one by one, all in one write
    /// (<see cref="TcGet"/>): the kernel's version of each with counters; <see cref="TcSnapshot.ForeignObjects"/>
    /// names those the kernel does not hold. Names are resolved against <paramref name="links"/> when given.
    /// </summary>
    public TcSnapshot Get(IReadOnlyList<TcObject> objects, LinkSnapshot? links = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return TcGet.Read(_socket, links ?? ReadLinks(), objects);
    }

    /// <summary>
    /// Applies a plan in order, as <c>tc -batch</c> would run the commands that
    /// <see cref="TcCommand.Render"/> prints: many requests per write (up to ~60 KiB), one ack each.
    /// Stops sending at the first failure and reports how many operations succeeded before it.
    /// </summary>
    public ApplyResult Apply(IReadOnlyList<TcOperation> operations) => Apply(operations, null, echo: false);

    /// <summary>
    /// As <see cref="Apply(IReadOnlyList{TcOperation})"/>; device names are resolved against <paramref name="links"/>
    /// when given (no link dump unless an operation names a device they lack), and with <paramref name="echo"/> the
    /// kernel's version of every object added or changed comes back with the acks (<see cref="ApplyResult.Echoed"/>).
    /// </summary>
    public ApplyResult Apply(IReadOnlyList<TcOperation> operations, LinkSnapshot? links, bool echo)
    {
        var result = TcBatch.Apply(_socket, operations, links?.Index, echo);
        KernelWrites += result.KernelWrites;
        return result;
    }

    /// <summary>
    /// Which qdiscs, the u32 classifier and the mirred action the kernel offers (<see cref="TcProbe"/>:
    /// each made once on a throw-away IFB device). The result is cached for the life of this instance.
    /// </summary>
    public KernelFeatures Probe() => _features ??= TcProbe.Run(Apply);

    public void Dispose() => _socket.Dispose();
}
