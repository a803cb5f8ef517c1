using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Tests.Engine;

/// <summary>
/// A kernel in memory that counts what it is asked: devices, forwarding databases and tc objects, with
/// a plan's operations applied as the kernel would (deleting a device, qdisc or class takes what hangs
/// off it). <see cref="Foreign"/> changes it behind the agent's back, as another tool would.
/// </summary>
internal sealed class CountingKernel : IKernelParts
{
    public const uint OwnPort = 4242;
    private readonly Dictionary<TcObjectKey, TcObject> _objects = [];
    private int _nextIfIndex = 100;

    public Dictionary<string, DeviceFacts> Devices { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Dictionary<MacAddress, string>> Fdb { get; } = new(StringComparer.Ordinal);

    public IEnumerable<TcObject> Objects => _objects.Values;

    public int DeviceReads { get; private set; }

    public int FdbReads { get; private set; }

    public List<IReadOnlyCollection<string>> TcReads { get; } = [];

    public List<IReadOnlyList<TcObjectKey>> ObjectReads { get; } = [];

    public long KernelReads => DeviceReads + FdbReads + TcReads.Count + ObjectReads.Sum(r => r.Count);

    public long KernelWrites { get; private set; }

    /// <summary>Runs once after the next <see cref="Apply"/> (then is cleared): the kernel or another tool acting between the pass and its read-back.</summary>
    public Action<IReadOnlyList<TcOperation>>? AfterNextApply { get; set; }

    public uint? PortId => OwnPort;

    public string LeafQdiscKind => "pfifo";

    public CountingKernel Bridge(string name, int ifIndex)
    {
        Devices[name] = new DeviceFacts(name, ifIndex, true, null, "bridge");
        Fdb[name] = [];
        return this;
    }

    public CountingKernel Port(string bridge, string name, int ifIndex, string? mac = null)
    {
        Devices[name] = new DeviceFacts(name, ifIndex, false, bridge, "veth");
        if (mac is not null)
        {
            Fdb[bridge][MacAddress.Parse(mac)] = name;
        }

        return this;
    }

    public int IfIndex(string device) => Devices[device].IfIndex;

    /// <summary>Another tool changes the kernel (no notification is sent by itself: the test sends it).</summary>
    public void Foreign(Action<Dictionary<TcObjectKey, TcObject>> change) => change(_objects);

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges) => NodeFactsReader.Read(this, bridges, wholeNode: true);

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges, bool wholeNode) => NodeFactsReader.Read(this, bridges, wholeNode);

    public IReadOnlyDictionary<string, DeviceFacts> ReadDevices()
    {
        DeviceReads++;
        return new Dictionary<string, DeviceFacts>(Devices, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<MacAddress, string> ReadFdb(string bridge)
    {
        FdbReads++;
        return Fdb.TryGetValue(bridge, out var t) ? new Dictionary<MacAddress, string>(t) : [];
    }

    public TcSnapshot ReadTc(IReadOnlyCollection<string> devices)
    {
        TcReads.Add([.. devices.Order(StringComparer.Ordinal)]);
        var wanted = devices.ToHashSet(StringComparer.Ordinal);
        return new TcSnapshot([.. _objects.Values.Where(o => wanted.Contains(o.Device)).OrderBy(o => o.Key)], new Dictionary<TcObjectKey, TcCounters>(), []);
    }

    public TcSnapshot ReadObjects(IReadOnlyList<TcObject> objects)
    {
        ObjectReads.Add([.. objects.Select(o => o.Key)]);
        var found = objects.Where(o => _objects.ContainsKey(o.Key)).Select(o => _objects[o.Key]).OrderBy(o => o.Key).ToList();
        var missing = objects.Where(o => !_objects.ContainsKey(o.Key)).Select(o => $"{o.Key} dev {o.Device}").ToList();
        return new TcSnapshot(found, new Dictionary<TcObjectKey, TcCounters>(), missing);
    }

    public KernelApplyResult Apply(IReadOnlyList<TcOperation> operations)
    {
        foreach (var op in operations)
        {
            KernelWrites++;
            if (op.Verb == TcVerb.Delete)
            {
                Delete(op.Target);
            }
            else if (op.Target is IfbLink link)
            {
                Devices[link.Device] = new DeviceFacts(link.Device, _nextIfIndex++, false, null, "ifb");
                _objects[op.Target.Key] = op.Target;
            }
            else
            {
                _objects[op.Target.Key] = op.Target;
            }
        }

        var after = AfterNextApply;
        AfterNextApply = null;
        after?.Invoke(operations);
        return new KernelApplyResult(operations.Count, operations.Count, null, null);
    }

    public void Dispose()
    {
    }

    private void Delete(TcObject o)
    {
        _objects.Remove(o.Key);
        var children = o switch
        {
            IfbLink l => _objects.Values.Where(x => x.Device == l.Device).ToList(),
            Qdisc q when q.Parent == TcHandle.Ingress => _objects.Values.Where(x => x.Device == q.Device && x.Parent() is { Major: 0xFFFF } p && p != TcHandle.Root).ToList(),
            Qdisc q => _objects.Values.Where(x => x.Device == q.Device && x.Parent() is { } p && p != TcHandle.Root && p != TcHandle.Ingress && p.Major == q.Handle.Major).ToList(),
            HtbClass c => _objects.Values.Where(x => x.Device == c.Device && x is Qdisc && x.Parent() == c.Handle).ToList(),
            _ => [],
        };
        foreach (var child in children.Where(c => _objects.ContainsKey(c.Key)))
        {
            Delete(child);
        }

        if (o is IfbLink gone)
        {
            Devices.Remove(gone.Device);
        }
    }
}
