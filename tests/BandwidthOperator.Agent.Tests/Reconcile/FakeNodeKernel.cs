using System.Collections.Concurrent;
using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Tests.Reconcile;

/// <summary>
/// A kernel without root: bridges and guest ports as <see cref="DeviceFacts"/>, each bridge's forwarding
/// database, and the tc objects as the plans left them (an add or change stores the object, a delete
/// removes it with what hangs below it; an IFB device comes and goes with its <see cref="IfbLink"/>).
/// Every read (with the bridges asked for) and every apply is recorded. Like the rtnetlink kernel, a read
/// returns every device and every object, whatever bridges were asked for: scoping is the planner's job.
/// </summary>
internal sealed class FakeNodeKernel : INodeKernel
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DeviceFacts> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<MacAddress, string>> _fdb = new(StringComparer.Ordinal);
    private readonly Dictionary<TcObjectKey, TcObject> _objects = [];
    private int _nextIndex = 10;

    /// <summary>The bridges each <see cref="ReadFacts"/> was asked for, in order.</summary>
    public ConcurrentQueue<string[]> Reads { get; } = new();

    /// <summary>The operations of each <see cref="Apply"/>, in order.</summary>
    public ConcurrentQueue<IReadOnlyList<TcOperation>> Applies { get; } = new();

    /// <summary>Called with the operations before they are applied (a test looks at the API at that moment).</summary>
    public Action<IReadOnlyList<TcOperation>>? BeforeApply { get; set; }

    /// <summary>Adds a bridge with <paramref name="ports"/> veth guest ports named <c>{bridge}p{i}</c>; returns the port names.</summary>
    public IReadOnlyList<string> AddBridge(string bridge, int ports)
    {
        lock (_gate)
        {
            _devices[bridge] = new DeviceFacts(bridge, _nextIndex++, true, null, "bridge");
            _fdb[bridge] = [];
            var names = new List<string>();
            for (var i = 0; i < ports; i++)
            {
                var port = $"{bridge}p{i}";
                _devices[port] = new DeviceFacts(port, _nextIndex++, false, bridge, "veth");
                names.Add(port);
            }

            return names;
        }
    }

    /// <summary>The guest with <paramref name="mac"/> is behind <paramref name="port"/> (the bridge learned it).</summary>
    public void Learn(string bridge, MacAddress mac, string port)
    {
        lock (_gate)
        {
            _fdb[bridge][mac] = port;
        }
    }

    /// <summary>The tc objects on <paramref name="device"/> now.</summary>
    public IReadOnlyList<TcObject> On(string device)
    {
        lock (_gate)
        {
            return [.. _objects.Values.Where(o => o.Device == device)];
        }
    }

    /// <summary>Someone else removed every tc object on <paramref name="device"/> (drift; no monitor tells the agent).</summary>
    public void Drop(string device)
    {
        lock (_gate)
        {
            foreach (var key in _objects.Keys.Where(k => k.Device == device && k.Type != TcObjectType.IfbLink).ToList())
            {
                _objects.Remove(key);
            }
        }
    }

    /// <summary>The devices of <paramref name="bridge"/>: itself, its ports, and the IFBs its trees live on.</summary>
    public IReadOnlySet<string> DevicesOf(string bridge)
    {
        lock (_gate)
        {
            var index = _devices[bridge].IfIndex;
            return _devices.Values.Where(d => d.Name == bridge || d.Master == bridge || Shaping.Trees.ShapingTree.ParseIfb(d.Name)?.BridgeIndex == index)
                .Select(d => d.Name).Append(Shaping.Trees.ShapingTree.IfbName(Shaping.Trees.Direction.Inbound, index))
                .Append(Shaping.Trees.ShapingTree.IfbName(Shaping.Trees.Direction.Outbound, index))
                .ToHashSet(StringComparer.Ordinal);
        }
    }

    public int IfIndex(string device)
    {
        lock (_gate)
        {
            return _devices[device].IfIndex;
        }
    }

    /// <summary>Every device an operation of <see cref="Applies"/> targeted.</summary>
    public IReadOnlySet<string> DevicesWritten() => Applies.SelectMany(a => a).Select(o => o.Target.Device).ToHashSet(StringComparer.Ordinal);

    public NodeFacts ReadFacts(IReadOnlyCollection<string> bridges)
    {
        ArgumentNullException.ThrowIfNull(bridges);
        Reads.Enqueue([.. bridges]);
        lock (_gate)
        {
            return new NodeFacts(
                new Dictionary<string, DeviceFacts>(_devices, StringComparer.Ordinal),
                _fdb.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<MacAddress, string>)new Dictionary<MacAddress, string>(kv.Value), StringComparer.Ordinal),
                "pfifo",
                new TcSnapshot([.. _objects.Values], new Dictionary<TcObjectKey, TcCounters>(), []));
        }
    }

    public KernelApplyResult Apply(IReadOnlyList<TcOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        BeforeApply?.Invoke(operations);
        Applies.Enqueue(operations);
        lock (_gate)
        {
            foreach (var op in operations)
            {
                if (op.Verb == TcVerb.Delete)
                {
                    Remove(op.Target);
                    continue;
                }

                _objects[op.Target.Key] = op.Target;
                if (op.Target is IfbLink ifb && !_devices.ContainsKey(ifb.Device))
                {
                    _devices[ifb.Device] = new DeviceFacts(ifb.Device, _nextIndex++, false, null, "ifb");
                }
            }
        }

        return new KernelApplyResult(operations.Count, operations.Count, null, null);
    }

    private void Remove(TcObject target)
    {
        _objects.Remove(target.Key);
        if (target is IfbLink ifb)
        {
            _devices.Remove(ifb.Device);
            foreach (var key in _objects.Keys.Where(k => k.Device == ifb.Device).ToList())
            {
                _objects.Remove(key);
            }

            return;
        }

        if (target is not Qdisc qdisc)
        {
            return;
        }

        // What hangs below the qdisc goes with it: its classes and filters, their leaf qdiscs, and so on.
        var majors = new HashSet<ushort> { qdisc.Handle.Major };
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var o in _objects.Values.Where(o => o.Device == qdisc.Device && o.Parent() is { } p && majors.Contains(p.Major)).ToList())
            {
                _objects.Remove(o.Key);
                changed = true;
                if (o is Qdisc child)
                {
                    majors.Add(child.Handle.Major);
                }
            }
        }
    }

    public void Dispose()
    {
    }
}
