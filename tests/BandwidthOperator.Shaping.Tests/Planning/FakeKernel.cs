using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Tests.Planning;

/// <summary>
/// Stands in for the node's kernel: devices, FDB, and the tc objects, to which a plan's operations
/// are applied the way the kernel would (deleting a qdisc, class or IFB device takes what hangs off it).
/// </summary>
internal sealed class FakeKernel
{
    private readonly Dictionary<TcObjectKey, TcObject> _objects = [];
    private int _nextIfIndex = 100;

    public Dictionary<string, DeviceFacts> Devices { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Dictionary<MacAddress, string>> Fdb { get; } = new(StringComparer.Ordinal);

    public IEnumerable<TcObject> Objects => _objects.Values;

    public static FakeKernel WithBridge(string bridge = "br-tenant")
    {
        var k = new FakeKernel();
        k.Devices[bridge] = new DeviceFacts(bridge, 2, true, null);
        k.Fdb[bridge] = [];
        return k;
    }

    public FakeKernel Port(string bridge, string device, int ifIndex, string mac)
    {
        Devices[device] = new DeviceFacts(device, ifIndex, false, bridge, "veth");
        Fdb[bridge][MacAddress.Parse(mac)] = device;
        return this;
    }

    public FakeKernel Add(params TcObject[] objects)
    {
        foreach (var o in objects)
        {
            _objects[o.Key] = o;
        }

        return this;
    }

    public NodeFacts Facts(string leaf = "pfifo") => new(
        Devices.ToDictionary(kv => kv.Key, kv => kv.Value),
        Fdb.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<MacAddress, string>)kv.Value),
        leaf,
        new TcSnapshot(_objects.Values.ToList(), new Dictionary<TcObjectKey, TcCounters>(), []));

    public void Apply(IEnumerable<TcOperation> operations)
    {
        foreach (var op in operations)
        {
            switch (op.Verb)
            {
                case TcVerb.Add:
                    _objects.ContainsKey(op.Target.Key).ShouldBeFalse($"add of an existing object: {op}");
                    Create(op.Target);
                    break;
                case TcVerb.Change:
                    _objects.ContainsKey(op.Target.Key).ShouldBeTrue($"change of a missing object: {op}");
                    _objects[op.Target.Key] = op.Target;
                    break;
                case TcVerb.Replace:
                    Create(op.Target);
                    break;
                default:
                    _objects.ContainsKey(op.Target.Key).ShouldBeTrue($"delete of a missing object: {op}");
                    Delete(op.Target);
                    break;
            }
        }
    }

    private void Create(TcObject o)
    {
        if (o is IfbLink link)
        {
            Devices[link.Device] = new DeviceFacts(link.Device, _nextIfIndex++, false, null);
        }
        else
        {
            Devices.ContainsKey(o.Device).ShouldBeTrue($"no device {o.Device}");
        }

        _objects[o.Key] = o;
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
        foreach (var child in children)
        {
            if (_objects.ContainsKey(child.Key))
            {
                Delete(child);
            }
        }

        if (o is IfbLink gone)
        {
            Devices.Remove(gone.Device);
        }
    }
}
