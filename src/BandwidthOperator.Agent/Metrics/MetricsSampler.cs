using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Metrics;

/// <summary>Turns a converge result and the kernel's read-back counters into gauges.</summary>
public static class MetricsSampler
{
    public static MetricsGauges Sample(ConvergeResult result, TcSnapshot? kernel)
    {
        ArgumentNullException.ThrowIfNull(result);
        var classes = new Dictionary<(string Device, uint Handle), HtbClass>();
        foreach (var bridge in result.Bridges)
        {
            foreach (var c in bridge.Desired.OfType<HtbClass>())
            {
                classes[(c.Device, c.Handle.Value)] = c;
            }
        }

        var counters = new Dictionary<(string Device, uint Handle), TcCounters>();
        if (kernel is not null)
        {
            foreach (var (key, value) in kernel.Counters)
            {
                if (key.Type == TcObjectType.Class)
                {
                    counters[(key.Device, key.Handle)] = value;
                }
            }
        }

        var interfaces = new List<InterfaceSample>();
        foreach (var i in result.Interfaces)
        {
            if (i.ClassId is not { } classId || i.Bridge is null)
            {
                continue;
            }

            var handle = TcHandle.Of(1, classId).Value;
            classes.TryGetValue((i.Bridge, handle), out var cls);
            counters.TryGetValue((i.Bridge, handle), out var c);
            interfaces.Add(new InterfaceSample(
                i.Ref.Namespace ?? string.Empty, i.Ref.Name, i.Network ?? string.Empty, i.Bridge, classId,
                i.AppliedFloor?.BitsPerSecond ?? cls?.Rate.BitsPerSecond ?? 0,
                cls?.Ceil.BitsPerSecond ?? 0,
                c?.Bytes ?? 0,
                c?.Drops ?? 0));
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
}
