using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Diff;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Tests.Trees;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Tests.Diff;

public class TreeDiffTests
{
    private static IReadOnlyList<TcObject> OneFloor() => BridgeTree.Build(
        "br-tenant",
        BitRate.Parse("10G"),
        null,
        [new FloorClass(3, BridgeTreeTests.Mac1, BitRate.Parse("1G"), BitRate.Parse("2G"))],
        FifoQdiscOptions.Pfifo(1000));

    private static string[] Lines(IEnumerable<TcOperation> ops) => ops.Select(o => o.ToString()).ToArray();

    [Fact]
    public void Equal_trees_give_no_operations() =>
        TreeDiff.Plan(BridgeTreeTests.TwoFloors(), BridgeTreeTests.TwoFloors()).ShouldBeEmpty();

    [Fact]
    public void Order_of_observed_objects_does_not_matter() =>
        TreeDiff.Plan(BridgeTreeTests.TwoFloors(), BridgeTreeTests.TwoFloors().Reverse()).ShouldBeEmpty();

    [Fact]
    public void Burst_that_gives_the_same_kernel_ticks_is_not_a_change()
    {
        var observed = BridgeTreeTests.TwoFloors().Select(o => o is HtbClass { Handle.Minor: 1 } c ? c with { Burst = new ByteSize(c.Burst.Bytes + 1) } : o);
        TreeDiff.Plan(BridgeTreeTests.TwoFloors(), observed).ShouldBeEmpty();
    }

    [Fact]
    public void Changed_class_rate_is_exactly_one_change()
    {
        var desired = BridgeTreeTests.TwoFloors().Select(o => o is HtbClass { Handle.Minor: 3 } c ? c with { Ceil = BitRate.Parse("3G") } : o).ToList();
        var ops = TreeDiff.Plan(desired, BridgeTreeTests.TwoFloors());
        ops.Count.ShouldBe(1);
        ops[0].Verb.ShouldBe(TcVerb.Change);
        ops[0].Target.ShouldBeOfType<HtbClass>().Ceil.ShouldBe(BitRate.Parse("3G"));
        ops[0].ToString().ShouldStartWith("tc class change dev br-tenant parent 1:1 classid 1:3 htb rate 1gbit ceil 3gbit");
    }

    [Fact]
    public void Removed_floor_deletes_filter_node_before_class_and_skips_the_leaf()
    {
        var ops = TreeDiff.Plan(OneFloor(), BridgeTreeTests.TwoFloors());
        Lines(ops).ShouldBe(
        [
            "tc filter del dev br-tenant parent 1: prio 1 handle 1:2:5 protocol all u32",
            "tc class del dev br-tenant parent 1:1 classid 1:4",
            "tc class change dev br-tenant parent 1:1 classid 1:2 htb rate 9gbit ceil 10gbit burst 2250000b cburst 2500000b quantum 200000 prio 0",
        ]);
    }

    [Fact]
    public void Removing_the_last_floor_deletes_its_filter_node_then_its_class_and_keeps_the_table_and_link()
    {
        var empty = BridgeTree.Build("br-tenant", BitRate.Parse("10G"), null, [], FifoQdiscOptions.Pfifo(1000));
        var ops = TreeDiff.Plan(empty, OneFloor());
        ops.Where(o => o.Verb == TcVerb.Delete).Select(o => o.Target switch
        {
            U32Filter { Divisor: not null } => "table",
            U32Filter { Link: not null } => "link",
            U32Filter => "node",
            HtbClass => "class",
            _ => o.Target.GetType().Name,
        }).ShouldBe(["node", "class"]);
    }

    [Fact]
    public void Removing_the_last_floor_does_not_delete_a_table_the_kernel_drops_by_itself()
    {
        var empty = BridgeTree.Build("br-tenant", BitRate.Parse("10G"), null, [], FifoQdiscOptions.Pfifo(1000));
        var ops = TreeDiff.Plan(empty, OneFloor());
        ops.ShouldNotContain(o => o.Verb == TcVerb.Delete && o.Target is U32Filter && ((U32Filter)o.Target).Divisor != null);
    }

    [Fact]
    public void Deleted_root_is_the_only_delete_on_its_device()
    {
        var ops = TreeDiff.Plan([], BridgeTreeTests.TwoFloors());
        Lines(ops).ShouldBe(["tc qdisc del dev br-tenant root handle 1:"]);
    }

    [Fact]
    public void Deleted_ifb_device_and_ingress_qdisc_take_their_contents_with_them()
    {
        var limits = DeviceLimits.Build("vnet3", 7, BandwidthLimits.None, new BandwidthLimits(null, BitRate.Parse("1G"), null, null)).ToList();
        Lines(TreeDiff.Plan([], limits)).ShouldBe(
        [
            "tc qdisc del dev vnet3 ingress",
            "ip link del bwi7",
        ]);
    }

    [Fact]
    public void Adds_are_ordered_root_classes_leaves_tables_links_nodes()
    {
        var ops = TreeDiff.Plan(BridgeTreeTests.TwoFloors(), []);
        ops.ShouldAllBe(o => o.Verb == TcVerb.Add);
        ops.Select(o => TreeDiff.Rank(o.Target)).ShouldBe([1, 2, 3, 3, 3, 4, 4, 4, 5, 6, 7, 7]);
        Lines(ops).ShouldBe(Lines(BridgeTreeTests.TwoFloors().Select(o => new TcOperation(TcVerb.Add, o))), ignoreOrder: true);
        ops[1].Target.ShouldBeOfType<HtbClass>().Handle.ShouldBe(TcHandle.Of(1, 1));
        ops.Skip(2).Take(3).Select(o => ((HtbClass)o.Target).Handle.Minor).ShouldBe(new ushort[] { 2, 3, 4 });
    }

    [Fact]
    public void Ifb_device_is_added_before_anything_that_uses_it()
    {
        var limits = DeviceLimits.Build("vnet3", 7, new BandwidthLimits(null, BitRate.Parse("2G"), null, null), new BandwidthLimits(null, BitRate.Parse("1G"), null, null)).ToList();
        var ops = TreeDiff.Plan(limits, []);
        ops[0].Target.ShouldBe(new IfbLink("bwi7"));
        ops[^1].Target.ShouldBeOfType<U32Filter>().RedirectTo.ShouldBe("bwi7");
    }

    [Fact]
    public void Implicit_objects_are_never_deleted()
    {
        var observed = BridgeTreeTests.TwoFloors().Concat(
        [
            new Qdisc("vnet3", TcHandle.Of(0, 0), TcHandle.Root, new OtherQdiscOptions("noqueue")),
            new U32Filter("br-tenant", TcHandle.Of(1, 0), 1, U32Filter.ProtocolAll, U32Handle.Make(0x800, 0, 0), [], Divisor: 1),
        ]);
        TreeDiff.Plan(BridgeTreeTests.TwoFloors(), observed).ShouldBeEmpty();
    }

    [Fact]
    public void Changed_filter_is_deleted_and_added()
    {
        var desired = BridgeTreeTests.TwoFloors().Select(o => o is U32Filter { FlowId.Minor: 3 } f ? f with { FlowId = TcHandle.Of(1, 4) } : o).ToList();
        var ops = TreeDiff.Plan(desired, BridgeTreeTests.TwoFloors());
        ops.Select(o => o.Verb).ShouldBe([TcVerb.Delete, TcVerb.Add]);
        ops[1].Target.ShouldBeOfType<U32Filter>().FlowId.ShouldBe(TcHandle.Of(1, 4));
    }

    [Fact]
    public void Leaf_of_another_kind_is_replaced_by_delete_and_add_and_same_kind_is_changed()
    {
        var other = BridgeTree.Build("br-tenant", BitRate.Parse("10G"), null, [new FloorClass(3, BridgeTreeTests.Mac1, BitRate.Parse("1G"), BitRate.Parse("2G"))], new SfqQdiscOptions());
        var ops = TreeDiff.Plan(other, OneFloor());
        ops.Count(o => o.Verb == TcVerb.Delete).ShouldBe(2);
        ops.Count(o => o.Verb == TcVerb.Add).ShouldBe(2);
        ops.Take(2).ShouldAllBe(o => o.Verb == TcVerb.Delete);

        var longer = BridgeTree.Build("br-tenant", BitRate.Parse("10G"), null, [new FloorClass(3, BridgeTreeTests.Mac1, BitRate.Parse("1G"), BitRate.Parse("2G"))], FifoQdiscOptions.Pfifo(2000));
        var change = TreeDiff.Plan(longer, OneFloor());
        change.Count.ShouldBe(2);
        change.ShouldAllBe(o => o.Verb == TcVerb.Change);
    }
}
