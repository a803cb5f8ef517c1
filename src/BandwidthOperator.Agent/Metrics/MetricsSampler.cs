using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Shaping.Ownership;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Agent.Metrics;

/// <summary>
/// Turns a converge result into gauges, and the kernel's class counters into the interfaces' byte and drop
/// counters. An interface's classes live on its bridge's IFB devices (docs/architecture.md, "The kernel layout"):
/// class <c>1:classId</c> on <c>bwin{bridge ifindex}</c> (direction <c>in</c>) and <c>1:outboundClassId</c> on
/// <c>bwout{…}</c> (direction <c>out</c>).
/// </summary>
public static class MetricsSampler
{
    public static MetricsGauges Sample(ConvergeResult result, TcSnapshot? kernel)
    {
        ArgumentNullException.ThrowIfNull(result);
        var classes = new Dictionary<(string Bridge, Direction Direction, uint Handle), HtbClass>();
        var ifbs = new Dictionary<(string Bridge, Direction Direction), string>();
        foreach (var bridge in result.Bridges)
        {
            if (bridge.Ifbs.Count == 2)
            {
                ifbs[(bridge.Bridge, Direction.Inbound)] = bridge.Ifbs[0];
                ifbs[(bridge.Bridge, Direction.Outbound)] = bridge.Ifbs[1];
            }

            foreach (var c in bridge.Desired.Concat(bridge.OutboundDesired).OfType<HtbClass>())
            {
                if (KernelOwnership.TreeOf(c.Device) is { } tree)
                {
                    classes[(bridge.Bridge, tree.Direction, c.Handle.Value)] = c;
                    ifbs.TryAdd((bridge.Bridge, tree.Direction), c.Device);
                }
            }
        }

        var interfaces = new List<InterfaceSample>();
        foreach (var i in result.Interfaces)
        {
            if (i.Bridge is not { } bridge)
            {
                continue;
            }

            foreach (var (direction, classId, floor) in new[] { (Direction.Inbound, i.ClassId, i.AppliedFloor), (Direction.Outbound, i.OutboundClassId, i.AppliedOutboundFloor) })
            {
                if (classId is not { } id)
                {
                    continue;
                }

                var handle = TcHandle.Of(1, id).Value;
                classes.TryGetValue((bridge, direction, handle), out var cls);
                ifbs.TryGetValue((bridge, direction), out var device);
                interfaces.Add(new InterfaceSample(
                    i.Ref.Namespace ?? string.Empty, i.Ref.Name, i.Network ?? string.Empty, bridge, id,
                    floor?.BitsPerSecond ?? cls?.Rate.BitsPerSecond ?? 0,
                    cls?.Ceil.BitsPerSecond ?? 0,
                    0,
                    0)
                {
                    Direction = direction == Direction.Inbound ? InterfaceSample.Inbound : InterfaceSample.Outbound,
                    Device = device ?? cls?.Device,
                });
            }
        }

        if (kernel is not null)
        {
            interfaces = [.. WithCounters(interfaces, kernel)];
        }

        var bridges = result.Bridges
            .Select(b => new BridgeSample(b.Network, b.Bridge, b.FloorSum.BitsPerSecond, b.Capacity?.BitsPerSecond, b.Interfaces, b.Ready))
            .ToList();
        // A floor asked for (the spec's, or the one applied before) and whether it has a place; interfaces
        // refused for another reason (invalid spec, unknown network, ...) count as not admitted too.
        var admissions = result.Interfaces
            .Where(i => i.AppliedFloor is not null || i.ClassId is not null || i.Admitted.Reason != "NoFloor")
            .Select(i => new AdmissionSample(i.Ref.Namespace ?? string.Empty, i.Ref.Name, i.Network ?? string.Empty, i.Admitted.Status, i.Admitted.Reason))
            .ToList();
        return new MetricsGauges(interfaces, bridges, admissions);
    }

    /// <summary>
    /// The samples with the bytes and drops the kernel counted for each one's class (<c>1:classId</c> on its
    /// <see cref="InterfaceSample.Device"/>); a sample whose class <paramref name="kernel"/> does not hold keeps its values.
    /// </summary>
    public static IReadOnlyList<InterfaceSample> WithCounters(IReadOnlyList<InterfaceSample> interfaces, TcSnapshot kernel)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(kernel);
        var counters = new Dictionary<(string Device, uint Handle), TcCounters>();
        foreach (var (key, value) in kernel.Counters)
        {
            if (key.Type == TcObjectType.Class)
            {
                counters[(key.Device, key.Handle)] = value;
            }
        }

        var result = new List<InterfaceSample>(interfaces.Count);
        foreach (var i in interfaces)
        {
            var handle = TcHandle.Of(1, (ushort)i.ClassId).Value;
            result.Add(i.Device is { } device && counters.TryGetValue((device, handle), out var c) ? i with { Bytes = c.Bytes, Drops = c.Drops } : i);
        }

        return result;
    }

    /// <summary>The IFB devices the samples' classes are on: what a scrape reads the class counters of.</summary>
    public static IReadOnlyList<string> Devices(IEnumerable<InterfaceSample> interfaces) =>
        [.. interfaces.Select(i => i.Device).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
