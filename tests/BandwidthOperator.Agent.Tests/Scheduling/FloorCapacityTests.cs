using BandwidthOperator.Agent.Scheduling;
using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Resources;
using k8s.Models;

namespace BandwidthOperator.Agent.Tests.Scheduling;

public sealed class FloorCapacityTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["kubernetes.io/hostname"] = "node-a", ["rack"] = "r1" };

    private static BridgeNetwork Net(string name, string average, bool? schedulable = true, string? rack = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new BridgeNetworkSpec
        {
            Bridge = "br0",
            Inbound = new NetworkBandwidth { Average = average, Schedulable = schedulable },
            NodeSelector = rack is null ? null : new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["rack"] = rack } },
        },
    };

    private static InterfaceBandwidth Ibw(string name, string network, string? floor, string node = "node-a") => new()
    {
        Metadata = new V1ObjectMeta { NamespaceProperty = "t", Name = name },
        Spec = new InterfaceBandwidthSpec { Network = network, NodeName = node, MacAddress = "52:54:00:00:00:01", Inbound = new InterfaceInbound { Floor = floor } },
    };

    private static NodeFloorCapacity Compute(IEnumerable<BridgeNetwork> networks, IEnumerable<InterfaceBandwidth> interfaces, Func<InterfaceBandwidth, bool>? raw = null) =>
        FloorCapacity.Compute("node-a", Labels, networks, interfaces, raw ?? (_ => true));

    [Fact]
    public void A_schedulable_network_offers_its_average_minus_the_raw_mac_floors_of_this_node()
    {
        var result = Compute(
            [Net("tenant-blue", "10G")],
            [Ibw("a", "tenant-blue", "1G"), Ibw("b", "tenant-blue", "500M"), Ibw("c", "tenant-blue", null), Ibw("other-node", "tenant-blue", "3G", node: "node-b")]);

        result.Resources.ShouldBe(new Dictionary<string, BitRate> { ["floor.bandwidthoperator.io/tenant-blue"] = BitRate.Parse("8500M") });
        result.Refusals.ShouldBeEmpty();
    }

    [Fact]
    public void Each_direction_opts_in_by_itself_and_carves_its_own_floors()
    {
        var network = Net("tenant-blue", "10G", schedulable: false);
        network.Spec!.Outbound = new NetworkBandwidth { Average = "4G", Schedulable = true };
        var item = Ibw("a", "tenant-blue", "1G");
        item.Spec!.Outbound = new InterfaceOutbound { Floor = "500M" };

        Compute([network], [item]).Resources.ShouldBe(new Dictionary<string, BitRate> { ["outbound-floor.bandwidthoperator.io/tenant-blue"] = BitRate.Parse("3500M") });

        network.Spec.Inbound!.Schedulable = true;
        Compute([network], [item]).Resources.ShouldBe(new Dictionary<string, BitRate>
        {
            ["floor.bandwidthoperator.io/tenant-blue"] = BitRate.Parse("9G"),
            ["outbound-floor.bandwidthoperator.io/tenant-blue"] = BitRate.Parse("3500M"),
        });
    }

    [Fact]
    public void Floors_of_workload_bound_resources_are_left_to_the_scheduler()
    {
        var workload = Ibw("vm", "tenant-blue", "2G");
        var result = Compute([Net("tenant-blue", "10G")], [workload, Ibw("raw", "tenant-blue", "1G")], i => !ReferenceEquals(i, workload));

        result.Resources["floor.bandwidthoperator.io/tenant-blue"].ShouldBe(BitRate.Parse("9G"));
    }

    [Fact]
    public void Networks_that_do_not_opt_in_or_do_not_select_the_node_are_not_advertised()
    {
        var result = Compute([Net("not-opted", "10G", schedulable: null), Net("opted-out", "10G", schedulable: false), Net("other-rack", "10G", rack: "r2"), Net("this-rack", "1G", rack: "r1")], []);

        result.Resources.Keys.ShouldBe(["floor.bandwidthoperator.io/this-rack"]);
    }

    [Fact]
    public void Raw_floors_above_the_average_offer_zero_not_a_negative_quantity()
    {
        Compute([Net("n", "1G")], [Ibw("a", "n", "700M"), Ibw("b", "n", "700M")]).Resources["floor.bandwidthoperator.io/n"].ShouldBe(BitRate.Zero);
    }

    [Fact]
    public void A_network_name_longer_than_63_characters_is_refused_for_scheduling_with_the_reason()
    {
        var name = new string('a', 60) + "-long";
        var ok = new string('b', 63);

        var result = Compute([Net(name, "10G"), Net(ok, "10G")], []);

        result.Resources.Keys.ShouldBe(["floor.bandwidthoperator.io/" + ok]);
        result.Refusals.ShouldHaveSingleItem().Network.ShouldBe(name);
        result.Refusals[0].Message.ShouldBe(
            $"BridgeNetwork {name} is not advertised to the scheduler: the name is 65 characters; the extended resource floor.bandwidthoperator.io/<network> allows at most 63 after the '/'");
    }

    [Fact]
    public void A_node_that_does_not_exist_advertises_nothing()
    {
        FloorCapacity.Compute("node-a", null, [Net("n", "1G")], [], _ => true).Resources.ShouldBeEmpty();
    }
}
