using BandwidthOperator.Agent.Engine;
using BandwidthOperator.Agent.Metrics;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Planning;
using BandwidthOperator.Shaping.Tc;

namespace BandwidthOperator.Agent.Tests.Metrics;

public sealed class MetricsSamplerTests
{
    private static readonly ConditionOutcome Yes = new(true, ConditionReasons.Applied, string.Empty);

    private static InterfaceOutcome Interface(string name, ushort? classId, string? floor) =>
        new(new ObjectRef(InterfaceBandwidth.KubeKind, "tenant-a", name), "tenant-net", "br0", classId,
            floor is null ? null : BitRate.Parse(floor), "veth" + name, Yes, Yes, 1);

    private static HtbClass Class(ushort minor, string rate, string ceil) =>
        new("br0", TcHandle.Of(1, minor), TcHandle.Of(1, 1), BitRate.Parse(rate), BitRate.Parse(ceil), new ByteSize(1600), new ByteSize(1600), 1514);

    [Fact]
    public void Each_floored_interface_gets_its_class_rates_and_the_kernels_counters()
    {
        var bridge = new BridgeOutcome("tenant-net", "br0", true, BitRate.Parse("1G"), BitRate.Parse("300M"), 2, "fq_codel", string.Empty,
            [Class(1, "1G", "1G"), Class(2, "700M", "1G"), Class(3, "300M", "500M")]);
        var plan = new NodePlan([bridge], [], [], []);
        var result = new ConvergeResult(plan, null, [Interface("a", 3, "300M"), Interface("b", null, null)], [bridge], 0);
        var counters = new Dictionary<TcObjectKey, TcCounters>
        {
            [Class(3, "300M", "500M").Key] = new TcCounters(Bytes: 123_456, Packets: 100, Drops: 7, Overlimits: 0, RateBitsPerSecond: 0, Backlog: 0),
        };

        var (interfaces, bridges) = MetricsSampler.Sample(result, new TcSnapshot([], counters, []));

        interfaces.ShouldBe([new InterfaceSample("tenant-a", "a", "tenant-net", "br0", 3, 300_000_000, 500_000_000, 123_456, 7)]);
        bridges.ShouldBe([new BridgeSample("tenant-net", "br0", 300_000_000, 1_000_000_000, 2, true)]);
    }

    [Fact]
    public void Without_a_kernel_snapshot_counters_are_zero()
    {
        var bridge = new BridgeOutcome("tenant-net", "br0", true, null, BitRate.Zero, 1, "pfifo", string.Empty, [Class(3, "10M", "20M")]);
        var result = new ConvergeResult(new NodePlan([bridge], [], [], []), null, [Interface("a", 3, "10M")], [bridge], 0);

        var (interfaces, bridges) = MetricsSampler.Sample(result, null);

        interfaces.Single().Bytes.ShouldBe(0UL);
        bridges.Single().CapacityBitsPerSecond.ShouldBeNull();
    }
}
