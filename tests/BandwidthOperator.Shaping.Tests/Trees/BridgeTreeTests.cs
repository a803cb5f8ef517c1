using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Tests.Trees;

public class BridgeTreeTests
{
    internal static readonly MacAddress Mac1 = MacAddress.Parse("52:54:00:6b:3c:01");
    internal static readonly MacAddress Mac2 = MacAddress.Parse("52:54:00:6b:3c:02");

    internal static IReadOnlyList<TcObject> TwoFloors() => BridgeTree.Build(
        "br-tenant",
        BitRate.Parse("10G"),
        null,
        [new FloorClass(3, Mac1, BitRate.Parse("1G"), BitRate.Parse("2G")), new FloorClass(4, Mac2, BitRate.Parse("3G"), BitRate.Parse("20G"))],
        FifoQdiscOptions.Pfifo(1000));

    private static HtbClass ClassOf(IReadOnlyList<TcObject> tree, ushort minor) =>
        tree.OfType<HtbClass>().Single(c => c.Handle == TcHandle.Of(1, minor));

    [Fact]
    public void Tree_has_root_default_and_one_class_leaf_and_filter_per_floor()
    {
        var tree = TwoFloors();
        tree.Count.ShouldBe(12);
        tree[0].ShouldBe(new Qdisc("br-tenant", TcHandle.Of(1, 0), TcHandle.Root, new HtbQdiscOptions(2, 2026)));
        tree.OfType<HtbClass>().Select(c => c.Handle.ToString()).ShouldBe(["1:1", "1:2", "1:3", "1:4"]);
        tree.OfType<Qdisc>().Skip(1).Select(q => (q.Handle.ToString(), q.Parent.ToString(), q.Kind)).ShouldBe([("2:", "1:2", "pfifo"), ("3:", "1:3", "pfifo"), ("4:", "1:4", "pfifo")]);
        tree.ShouldAllBe(o => o.Device == "br-tenant");
    }

    [Fact]
    public void Root_class_has_rate_and_ceil_of_the_capacity()
    {
        var root = ClassOf(TwoFloors(), 1);
        root.Parent.ShouldBe(TcHandle.Of(1, 0));
        root.Rate.ShouldBe(BitRate.Parse("10G"));
        root.Ceil.ShouldBe(BitRate.Parse("10G"));
        root.Burst.ShouldBe(new ByteSize(2_500_000));
        root.Quantum.ShouldBe(200_000u);
    }

    [Fact]
    public void Network_burst_is_the_root_class_burst()
    {
        var tree = BridgeTree.Build("br0", BitRate.Parse("1G"), new ByteSize(1_048_576), [], FifoQdiscOptions.Pfifo(1000));
        ClassOf(tree, 1).Burst.ShouldBe(new ByteSize(1_048_576));
        ClassOf(tree, 1).Cburst.ShouldBe(new ByteSize(1_048_576));
    }

    [Fact]
    public void Default_class_gets_capacity_minus_floors()
    {
        var c = ClassOf(TwoFloors(), 2);
        c.Parent.ShouldBe(TcHandle.Of(1, 1));
        c.Rate.ShouldBe(BitRate.Parse("6G"));
        c.Ceil.ShouldBe(BitRate.Parse("10G"));
    }

    [Fact]
    public void Default_class_never_goes_below_the_minimum()
    {
        var tree = BridgeTree.Build("br0", BitRate.Parse("10G"), null, [new FloorClass(3, Mac1, BitRate.Parse("10G"), BitRate.Parse("10G"))], FifoQdiscOptions.Pfifo(1000));
        ClassOf(tree, 2).Rate.ShouldBe(BitRate.Parse("100M"));
    }

    [Theory]
    [InlineData(10_000_000_000UL, 100_000_000UL)]
    [InlineData(100_000UL, 8_000UL)]
    [InlineData(5_000UL, 5_000UL)]
    public void Default_class_minimum_is_one_percent_at_least_8kbit_at_most_capacity(ulong capacity, ulong minimum) =>
        BridgeTree.DefaultClassMinimum(new BitRate(capacity)).ShouldBe(new BitRate(minimum));

    [Fact]
    public void Floor_class_rate_is_the_floor_and_ceil_the_interface_average_within_capacity()
    {
        var tree = TwoFloors();
        var c3 = ClassOf(tree, 3);
        c3.Rate.ShouldBe(BitRate.Parse("1G"));
        c3.Ceil.ShouldBe(BitRate.Parse("2G"));
        c3.Burst.ShouldBe(new ByteSize(250_000));
        c3.Cburst.ShouldBe(new ByteSize(500_000));
        c3.Quantum.ShouldBe(125_000u);
        var c4 = ClassOf(tree, 4);
        c4.Rate.ShouldBe(BitRate.Parse("3G"));
        c4.Ceil.ShouldBe(BitRate.Parse("10G"));
    }

    [Fact]
    public void Floor_class_ceil_is_never_below_its_floor()
    {
        var tree = BridgeTree.Build("br0", BitRate.Parse("10G"), null, [new FloorClass(3, Mac1, BitRate.Parse("1G"), BitRate.Parse("500M"))], FifoQdiscOptions.Pfifo(1000));
        ClassOf(tree, 3).Ceil.ShouldBe(BitRate.Parse("1G"));
    }

    [Theory]
    [InlineData(1_000_000UL, 1514u)]
    [InlineData(100_000_000UL, 12_500u)]
    [InlineData(10_000_000_000UL, 200_000u)]
    public void Quantum_is_a_millisecond_of_rate_between_an_mtu_and_200000(ulong rate, uint quantum) =>
        BridgeTree.Quantum(new BitRate(rate)).ShouldBe(quantum);

    [Theory]
    [InlineData(1_000_000UL, 6056UL)]
    [InlineData(10_000_000_000UL, 2_500_000UL)]
    public void Burst_is_two_milliseconds_and_at_least_four_frames(ulong rate, ulong burst) =>
        BridgeTree.Burst(new BitRate(rate)).Bytes.ShouldBe(burst);

    [Fact]
    public void Hash_table_and_link_are_made_for_the_table_in_use()
    {
        var filters = TwoFloors().OfType<U32Filter>().ToList();
        filters.Count.ShouldBe(4);
        filters[0].Handle.ShouldBe(U32Handle.Make(1, 0, 0));
        filters[0].Divisor.ShouldBe(256u);
        filters[1].Handle.ShouldBe(U32Handle.Make(0x800, 0, 1));
        filters[1].Link.ShouldBe(new U32Link(1, 0xFF, -12));
        filters.ShouldAllBe(f => f.Protocol == U32Filter.ProtocolAll && f.Priority == 1 && f.Parent == TcHandle.Of(1, 0));
    }

    [Fact]
    public void Mac_filter_matches_the_whole_destination_mac_and_points_to_the_class()
    {
        var f = BridgeTree.MacFilter("br-tenant", 3, Mac1);
        f.Handle.ShouldBe(U32Handle.Make(1, 0x01, 4));
        f.Keys.ShouldBe([new U32Key(0x5254, 0xFFFF, -16), new U32Key(0x006B3C01, 0xFFFF_FFFF, -12)]);
        f.FlowId.ShouldBe(TcHandle.Of(1, 3));
        f.Protocol.ShouldBe(U32Filter.ProtocolAll);
        U32Handle.Format(f.Handle).ShouldBe("1:1:4");
    }

    [Theory]
    [InlineData(3, 1u, 4u)]
    [InlineData(4094, 1u, 0xFFFu)]
    [InlineData(4095, 2u, 1u)]
    [InlineData(4096, 2u, 2u)]
    [InlineData(8189, 2u, 0xFFFu)]
    [InlineData(8190, 3u, 1u)]
    [InlineData(0xFFFF, 17u, 16u)]
    public void Filter_handle_is_valid_for_every_class_id(int classId, uint table, uint node)
    {
        var id = (ushort)classId;
        BridgeTree.TableOf(id).ShouldBe(table);
        BridgeTree.NodeOf(id).ShouldBe(node);
        var handle = BridgeTree.FilterHandle(id, Mac2);
        U32Handle.Htid(handle).ShouldBe(table);
        U32Handle.Bucket(handle).ShouldBe(2u);
        U32Handle.Node(handle).ShouldBe(node);
    }

    [Fact]
    public void Every_class_id_has_a_distinct_node_in_range()
    {
        var seen = new HashSet<(uint, uint)>();
        for (var id = 3; id <= 0xFFFF; id++)
        {
            var table = BridgeTree.TableOf((ushort)id);
            var node = BridgeTree.NodeOf((ushort)id);
            node.ShouldBeInRange(1u, 0xFFFu);
            table.ShouldBeInRange(1u, 0x7FFu);
            seen.Add((table, node)).ShouldBeTrue();
        }
    }

    [Fact]
    public void Tree_with_high_class_ids_gets_a_table_and_link_for_each_table()
    {
        var tree = BridgeTree.Build(
            "br0",
            BitRate.Parse("10G"),
            null,
            [new FloorClass(0xFFFF, Mac1, BitRate.Parse("1M"), BitRate.Parse("1G")), new FloorClass(4095, Mac2, BitRate.Parse("1M"), BitRate.Parse("1G"))],
            FifoQdiscOptions.Pfifo(1000));
        var filters = tree.OfType<U32Filter>().ToList();
        filters.Where(f => f.Divisor is not null).Select(f => U32Handle.Htid(f.Handle)).ShouldBe([2u, 17u]);
        filters.Where(f => f.Link is not null).Select(f => f.Link!.Value.TargetHtid).ShouldBe([2u, 17u]);
        filters.Where(f => f.FlowId is not null).Select(f => U32Handle.Format(f.Handle)).ShouldBe(["2:2:1", "11:1:10"]);
    }

    [Theory]
    [InlineData("52:54:00:6b:3c:01")]
    [InlineData("ff:fe:fd:fc:fb:fa")]
    [InlineData("00:00:00:00:00:01")]
    public void MacOf_is_the_inverse_of_MacFilter(string text)
    {
        var mac = MacAddress.Parse(text);
        BridgeTree.MacOf(BridgeTree.MacFilter("br0", 77, mac)).ShouldBe(mac);
    }

    [Fact]
    public void MacOf_is_null_for_links_and_tables()
    {
        foreach (var f in TwoFloors().OfType<U32Filter>().Where(f => f.FlowId is null))
        {
            BridgeTree.MacOf(f).ShouldBeNull();
        }

        var noFlow = BridgeTree.MacFilter("br0", 3, Mac1) with { FlowId = null };
        BridgeTree.MacOf(noFlow).ShouldBeNull();
    }

    [Fact]
    public void Our_root_is_recognised_by_its_r2q_mark()
    {
        var ours = (Qdisc)TwoFloors()[0];
        BridgeTree.IsOurRoot(ours).ShouldBeTrue();
        BridgeTree.IsOurRoot(ours with { Options = new HtbQdiscOptions(2, 10) }).ShouldBeFalse();
        BridgeTree.IsOurRoot(ours with { Options = new OtherQdiscOptions("prio") }).ShouldBeFalse();
        BridgeTree.IsOurRoot(ours with { Handle = TcHandle.Of(2, 0) }).ShouldBeFalse();
    }

    [Fact]
    public void Leaf_qdisc_kind_is_the_one_given()
    {
        var tree = BridgeTree.Build("br0", BitRate.Parse("1G"), null, [new FloorClass(3, Mac1, BitRate.Parse("1M"), BitRate.Parse("1G"))], new FqCodelQdiscOptions());
        tree.OfType<Qdisc>().Skip(1).ShouldAllBe(q => q.Kind == "fq_codel");
    }
}
