using BandwidthOperator.Agent.Scheduling;
using BandwidthOperator.Api.Quantities;

namespace BandwidthOperator.Agent.Tests.Scheduling;

public sealed class NodeFloorPatchTests
{
    private static readonly Dictionary<string, string> Kubelet = new() { ["cpu"] = "4", ["memory"] = "8Gi", ["pods"] = "110", ["example.com/gpu"] = "2" };

    private static Dictionary<string, string> With(params (string Key, string Value)[] extra)
    {
        var map = new Dictionary<string, string>(Kubelet);
        foreach (var (k, v) in extra)
        {
            map[k] = v;
        }

        return map;
    }

    private static Dictionary<string, BitRate> Desired(params (string Key, string Value)[] items) =>
        items.ToDictionary(i => i.Key, i => BitRate.Parse(i.Value));

    [Fact]
    public void A_new_resource_is_added_to_capacity_and_allocatable_with_the_slash_escaped()
    {
        var ops = NodeFloorPatch.Build(Kubelet, Kubelet, Desired(("floor.bandwidthoperator.io/tenant-blue", "10G")));

        ops.ToJsonString().ShouldBe(
            """[{"op":"add","path":"/status/capacity/floor.bandwidthoperator.io~1tenant-blue","value":"10G"},{"op":"add","path":"/status/allocatable/floor.bandwidthoperator.io~1tenant-blue","value":"10G"}]""");
    }

    [Fact]
    public void A_changed_value_is_replaced_an_equal_one_left_alone_and_a_stale_one_of_ours_removed()
    {
        var current = With(("floor.bandwidthoperator.io/a", "10G"), ("floor.bandwidthoperator.io/b", "5G"), ("outbound-floor.bandwidthoperator.io/gone", "1G"));

        var ops = NodeFloorPatch.Build(current, current, Desired(("floor.bandwidthoperator.io/a", "9G"), ("floor.bandwidthoperator.io/b", "5000M")));

        ops.Select(o => $"{o!["op"]} {o["path"]} {o["value"]}").ShouldBe([
            "replace /status/capacity/floor.bandwidthoperator.io~1a 9G",
            "remove /status/capacity/outbound-floor.bandwidthoperator.io~1gone ",
            "replace /status/allocatable/floor.bandwidthoperator.io~1a 9G",
            "remove /status/allocatable/outbound-floor.bandwidthoperator.io~1gone ",
        ]);
    }

    [Fact]
    public void Nothing_to_do_is_an_empty_patch_and_foreign_resources_are_never_touched()
    {
        var current = With(("floor.bandwidthoperator.io/a", "10G"));

        NodeFloorPatch.Build(current, current, Desired(("floor.bandwidthoperator.io/a", "10G"))).Count.ShouldBe(0);
        NodeFloorPatch.Build(Kubelet, Kubelet, Desired()).Count.ShouldBe(0);
    }

    [Fact]
    public void A_node_without_a_capacity_map_gets_the_whole_map()
    {
        var ops = NodeFloorPatch.Build(null, null, Desired(("floor.bandwidthoperator.io/a", "1G")));

        ops.ToJsonString().ShouldBe(
            """[{"op":"add","path":"/status/capacity","value":{"floor.bandwidthoperator.io/a":"1G"}},{"op":"add","path":"/status/allocatable","value":{"floor.bandwidthoperator.io/a":"1G"}}]""");
    }
}
