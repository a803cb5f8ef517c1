using BandwidthOperator.Agent.Status;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using BandwidthOperator.Shaping.Planning;

namespace BandwidthOperator.Agent.Tests.Status;

public sealed class BridgeNodeStatusBuilderTests
{
    private static BridgeOutcome Outcome(bool ready = true, string floorSum = "300M", int interfaces = 2) =>
        new("tenant-net", "br0", ready, BitRate.Parse("1G"), BitRate.Parse(floorSum), interfaces, "fq_codel", string.Empty, []);

    [Fact]
    public void The_entry_carries_the_node_and_the_outcome()
    {
        var entry = BridgeNodeStatusBuilder.Build("node-a", Outcome());

        entry.NodeName.ShouldBe("node-a");
        entry.Ready.ShouldBeTrue();
        entry.FloorSum.ShouldBe("300M");
        entry.Interfaces.ShouldBe(2);
        entry.LeafQdisc.ShouldBe("fq_codel");
    }

    [Fact]
    public void An_equal_quantity_written_differently_is_no_change()
    {
        var stored = BridgeNodeStatusBuilder.Build("node-a", Outcome());
        stored.FloorSum = "300000000";
        stored.Message = null;

        BridgeNodeStatusBuilder.SameAs(stored, BridgeNodeStatusBuilder.Build("node-a", Outcome())).ShouldBeTrue();
    }

    [Fact]
    public void Readiness_floors_and_counts_are_changes()
    {
        var before = BridgeNodeStatusBuilder.Build("node-a", Outcome());
        BridgeNodeStatusBuilder.SameAs(before, BridgeNodeStatusBuilder.Build("node-a", Outcome(ready: false))).ShouldBeFalse();
        BridgeNodeStatusBuilder.SameAs(before, BridgeNodeStatusBuilder.Build("node-a", Outcome(floorSum: "400M"))).ShouldBeFalse();
        BridgeNodeStatusBuilder.SameAs(before, BridgeNodeStatusBuilder.Build("node-a", Outcome(interfaces: 3))).ShouldBeFalse();
    }

    [Fact]
    public void Only_this_nodes_entry_is_read_back()
    {
        var network = new BridgeNetwork
        {
            Status = new BridgeNetworkStatus
            {
                Nodes = [new BridgeNetworkNodeStatus { NodeName = "node-b", Ready = true }, new BridgeNetworkNodeStatus { NodeName = "node-a", Interfaces = 7 }],
            },
        };

        BridgeNodeStatusBuilder.Current(network, "node-a")!.Interfaces.ShouldBe(7);
        BridgeNodeStatusBuilder.Current(network, "node-c").ShouldBeNull();
    }
}
