using BandwidthOperator.Api.Quantities;
using BandwidthOperator.Api.Validation;
using BandwidthOperator.Shaping.Tc;
using BandwidthOperator.Shaping.Tests.Trees;
using BandwidthOperator.Shaping.Trees;

namespace BandwidthOperator.Shaping.Tests.Tc;

public class TcCommandTests
{
    [Fact]
    public void Bridge_tree_renders_as_tc_command_lines()
    {
        var lines = BridgeTreeTests.TwoFloors().Select(o => TcCommand.Render(new TcOperation(TcVerb.Add, o)));
        lines.ShouldBe(
        [
            "tc qdisc add dev br-tenant root handle 1: htb default 2 r2q 2026",
            "tc class add dev br-tenant parent 1: classid 1:1 htb rate 10gbit ceil 10gbit burst 2500000b cburst 2500000b quantum 200000 prio 0",
            "tc class add dev br-tenant parent 1:1 classid 1:2 htb rate 6gbit ceil 10gbit burst 1500000b cburst 2500000b quantum 200000 prio 0",
            "tc qdisc add dev br-tenant parent 1:2 handle 2: pfifo limit 1000",
            "tc class add dev br-tenant parent 1:1 classid 1:3 htb rate 1gbit ceil 2gbit burst 250000b cburst 500000b quantum 125000 prio 0",
            "tc qdisc add dev br-tenant parent 1:3 handle 3: pfifo limit 1000",
            "tc class add dev br-tenant parent 1:1 classid 1:4 htb rate 3gbit ceil 10gbit burst 750000b cburst 2500000b quantum 200000 prio 0",
            "tc qdisc add dev br-tenant parent 1:4 handle 4: pfifo limit 1000",
            "tc filter add dev br-tenant parent 1: prio 1 handle 1: protocol all u32 divisor 256",
            "tc filter add dev br-tenant parent 1: prio 1 handle 800:0:1 protocol all u32 ht 800:0: match u32 0x00000000 0x00000000 at 0 link 1: hashkey mask 0x000000ff at -12",
            "tc filter add dev br-tenant parent 1: prio 1 handle 1:1:4 protocol all u32 ht 1:1: match u32 0x00005254 0x0000ffff at -16 match u32 0x006b3c01 0xffffffff at -12 flowid 1:3",
            "tc filter add dev br-tenant parent 1: prio 1 handle 1:2:5 protocol all u32 ht 1:2: match u32 0x00005254 0x0000ffff at -16 match u32 0x006b3c02 0xffffffff at -12 flowid 1:4",
        ]);
    }

    [Fact]
    public void Device_limits_render_as_tc_and_ip_command_lines()
    {
        var inbound = new BandwidthLimits(null, BitRate.Parse("2G"), BitRate.Parse("4G"), ByteSize.Parse("256Ki"));
        var outbound = new BandwidthLimits(null, BitRate.Parse("1G"), null, null);
        var lines = DeviceLimits.Build("vnet3", 7, inbound, outbound).Select(o => new TcOperation(TcVerb.Add, o).ToString());
        lines.ShouldBe(
        [
            "tc qdisc add dev vnet3 root handle b0: tbf rate 2gbit burst 262144b limit 12762144b peakrate 4gbit mtu 9216b",
            "ip link add bwi7 type ifb && ip link set bwi7 up",
            "tc qdisc add dev bwi7 root handle b0: tbf rate 1gbit burst 500000b limit 6750000b",
            "tc qdisc add dev vnet3 ingress",
            "tc filter add dev vnet3 parent ffff: prio 1 handle 800:0:1 protocol all u32 ht 800:0: match u32 0x00000000 0x00000000 at 0 action mirred egress redirect dev bwi7",
        ]);
    }

    [Fact]
    public void Deletes_name_only_the_identity()
    {
        var tree = BridgeTreeTests.TwoFloors();
        string Del(TcObject o) => TcCommand.Render(new TcOperation(TcVerb.Delete, o));
        Del(tree[0]).ShouldBe("tc qdisc del dev br-tenant root handle 1:");
        Del(tree[4]).ShouldBe("tc class del dev br-tenant parent 1:1 classid 1:3");
        Del(tree[5]).ShouldBe("tc qdisc del dev br-tenant parent 1:3 handle 3:");
        Del(tree[10]).ShouldBe("tc filter del dev br-tenant parent 1: prio 1 handle 1:1:4 protocol all u32");
        Del(new IfbLink("bwi7")).ShouldBe("ip link del bwi7");
        Del(new Qdisc("vnet3", TcHandle.Of(0xFFFF, 0), TcHandle.Ingress, new IngressQdiscOptions())).ShouldBe("tc qdisc del dev vnet3 ingress");
    }

    [Fact]
    public void Change_and_replace_use_their_verbs()
    {
        var cls = BridgeTreeTests.TwoFloors()[2];
        TcCommand.Render(new TcOperation(TcVerb.Change, cls)).ShouldStartWith("tc class change dev br-tenant parent 1:1 classid 1:2 htb rate 6gbit");
        TcCommand.Render(new TcOperation(TcVerb.Replace, cls)).ShouldStartWith("tc class replace dev br-tenant ");
    }

    [Fact]
    public void Other_leaf_kinds_render_their_options()
    {
        TcCommand.Render(new TcOperation(TcVerb.Add, new Qdisc("br0", TcHandle.Of(3, 0), TcHandle.Of(1, 3), new SfqQdiscOptions()))).ShouldBe("tc qdisc add dev br0 parent 1:3 handle 3: sfq perturb 10");
        TcCommand.Render(new TcOperation(TcVerb.Add, new Qdisc("br0", TcHandle.Of(3, 0), TcHandle.Of(1, 3), new FqCodelQdiscOptions()))).ShouldBe("tc qdisc add dev br0 parent 1:3 handle 3: fq_codel");
        TcCommand.Render(new TcOperation(TcVerb.Add, new Qdisc("br0", TcHandle.Of(3, 0), TcHandle.Of(1, 3), FifoQdiscOptions.Pfifo()))).ShouldBe("tc qdisc add dev br0 parent 1:3 handle 3: pfifo");
        TcCommand.Render(new TcOperation(TcVerb.Add, new Qdisc("vnet3", TcHandle.Of(0xFFFF, 0), TcHandle.Ingress, new ClsactQdiscOptions()))).ShouldBe("tc qdisc add dev vnet3 clsact");
    }

    [Fact]
    public void Filter_with_an_ethertype_prints_it_in_hex()
    {
        var f = BridgeTree.MacFilter("br0", 3, BridgeTreeTests.Mac1) with { Protocol = 0x0800 };
        TcCommand.Render(new TcOperation(TcVerb.Add, f)).ShouldContain(" protocol 0x0800 u32 ");
    }
}
