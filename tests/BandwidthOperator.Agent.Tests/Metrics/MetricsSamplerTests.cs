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

    private static HtbClass Class(string device, ushort minor, string rate, string ceil) =>
        new(device, TcHandle.Of(1, minor), TcHandle.Of(1, 1), BitRate.Parse(rate), BitRate.Parse(ceil), new ByteSize(1600), new ByteSize(1600), 1514);

    private static TcCounters Counted(ulong bytes, uint drops) => new(Bytes: bytes, Packets: 100, Drops: drops, Overlimits: 0, RateBitsPerSecond: 0, Backlog: 0);

    /// <summary>br0 (ifindex 7) with its inbound tree on bwin7 and its outbound tree on bwout7.</summary>
    private static BridgeOutcome Bridge() =>
        new("tenant-net", "br0", true, BitRate.Parse("1G"), BitRate.Parse("300M"), 2, "fq_codel", string.Empty,
            [Class("bwin7", 1, "1G", "1G"), Class("bwin7", 2, "700M", "1G"), Class("bwin7", 3, "300M", "500M")])
        {
            OutboundDesired = [Class("bwout7", 1, "800M", "800M"), Class("bwout7", 4, "100M", "200M")],
            Ifbs = ["bwin7", "bwout7"],
        };

    [Fact]
    public void Each_floored_interface_gets_its_classes_on_the_bridges_ifbs_in_both_directions_with_the_kernels_counters()
    {
        var bridge = Bridge();
        var plan = new NodePlan([bridge], [], [], []);
        var a = Interface("a", 3, "300M") with { OutboundClassId = 4, AppliedOutboundFloor = BitRate.Parse("100M") };
        var result = new ConvergeResult(plan, null, [a, Interface("b", null, null)], [bridge], 0);
        var counters = new Dictionary<TcObjectKey, TcCounters>
        {
            [Class("bwin7", 3, "300M", "500M").Key] = Counted(123_456, 7),
            [Class("bwout7", 4, "100M", "200M").Key] = Counted(654_321, 2),
            // The bridge device holds no class of ours any more: a counter there is not the interface's.
            [Class("br0", 3, "300M", "500M").Key] = Counted(999, 9),
        };

        var (interfaces, bridges) = MetricsSampler.Sample(result, new TcSnapshot([], counters, []));

        interfaces.ShouldBe([
            new InterfaceSample("tenant-a", "a", "tenant-net", "br0", 3, 300_000_000, 500_000_000, 123_456, 7) { Direction = "in", Device = "bwin7" },
            new InterfaceSample("tenant-a", "a", "tenant-net", "br0", 4, 100_000_000, 200_000_000, 654_321, 2) { Direction = "out", Device = "bwout7" },
        ]);
        bridges.ShouldBe([new BridgeSample("tenant-net", "br0", 300_000_000, 1_000_000_000, 2, true)]);
        MetricsSampler.Devices(interfaces).ShouldBe(["bwin7", "bwout7"]);
    }

    [Fact]
    public void Without_a_kernel_snapshot_counters_are_zero()
    {
        var bridge = Bridge();
        var result = new ConvergeResult(new NodePlan([bridge], [], [], []), null, [Interface("a", 3, "10M")], [bridge], 0);

        var (interfaces, _) = MetricsSampler.Sample(result, null);

        interfaces.Single().Bytes.ShouldBe(0UL);
        interfaces.Single().Device.ShouldBe("bwin7");
    }

    [Fact]
    public void Fresh_counters_replace_the_samples_counters_and_a_class_not_read_keeps_its_own()
    {
        InterfaceSample[] samples =
        [
            new("tenant-a", "a", "tenant-net", "br0", 3, 1, 2, 10, 1) { Direction = "in", Device = "bwin7" },
            new("tenant-a", "a", "tenant-net", "br0", 4, 1, 2, 20, 2) { Direction = "out", Device = "bwout7" },
        ];
        var fresh = new TcSnapshot([], new Dictionary<TcObjectKey, TcCounters> { [Class("bwin7", 3, "1M", "2M").Key] = Counted(5_000, 3) }, []);

        var counted = MetricsSampler.WithCounters(samples, fresh);

        counted.Select(i => (i.Direction, i.Bytes, i.Drops)).ShouldBe([("in", 5_000UL, 3UL), ("out", 20UL, 2UL)]);
    }
}
