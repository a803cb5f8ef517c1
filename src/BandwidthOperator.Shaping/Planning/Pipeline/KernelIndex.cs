using BandwidthOperator.Shaping.Ownership;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Shaping.Planning.Pipeline;

/// <summary>
/// Stage 0 of the pipeline (docs/architecture.md, "The planner pipeline"): the kernel reading indexed once
/// per plan, so no later stage scans all devices or all objects again — objects per device, the ports of
/// each bridge (by name), devices by ifindex, and the first unparsed ingress filter per device.
/// Not changed after it is built.
/// </summary>
internal sealed class KernelIndex
{
    private static readonly IReadOnlyList<TcObject> None = [];
    private static readonly IReadOnlyList<DeviceFacts> NoPorts = [];
    private readonly Dictionary<string, List<TcObject>> _objects;
    private readonly Dictionary<string, List<DeviceFacts>> _ports;
    private readonly IReadOnlyDictionary<string, string> _foreignIngress;

    private KernelIndex(NodeFacts facts)
    {
        Facts = facts;
        _objects = new Dictionary<string, List<TcObject>>(StringComparer.Ordinal);
        foreach (var o in facts.Observed.Objects)
        {
            if (!_objects.TryGetValue(o.Device, out var list))
            {
                _objects[o.Device] = list = [];
            }

            list.Add(o);
        }

        _ports = new Dictionary<string, List<DeviceFacts>>(StringComparer.Ordinal);
        var byIndex = new Dictionary<int, DeviceFacts>(facts.Devices.Count);
        foreach (var d in facts.Devices.Values)
        {
            byIndex.TryAdd(d.IfIndex, d);
            if (d.Master is { } master)
            {
                if (!_ports.TryGetValue(master, out var ports))
                {
                    _ports[master] = ports = [];
                }

                ports.Add(d);
            }
        }

        foreach (var ports in _ports.Values)
        {
            ports.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        }

        ByIndex = byIndex;
        _foreignIngress = facts.Observed.ForeignObjects.Count == 0
            ? new Dictionary<string, string>()
            : KernelOwnership.ForeignIngressFilters(facts.Observed.ForeignObjects);
    }

    public NodeFacts Facts { get; }

    public IReadOnlyDictionary<int, DeviceFacts> ByIndex { get; }

    public static KernelIndex Of(NodeFacts facts) => new(facts);

    /// <summary>The objects the kernel holds on <paramref name="device"/>, in dump order.</summary>
    public IReadOnlyList<TcObject> On(string device) => _objects.TryGetValue(device, out var list) ? list : None;

    /// <summary>The devices whose master is <paramref name="bridge"/>, by name.</summary>
    public IReadOnlyList<DeviceFacts> PortsOf(string bridge) => _ports.TryGetValue(bridge, out var list) ? list : NoPorts;

    /// <summary>The first object on the device's ingress side that the dump did not understand, if any.</summary>
    public string? ForeignIngressFilter(string device) => _foreignIngress.TryGetValue(device, out var f) ? f : null;
}
